using FurnitureOps.Bench.Load;
using FurnitureOps.Bench.Targets;

namespace FurnitureOps.Bench.Scenarios;

/// <summary>
/// Checkouts on 100 SKUs: reserve one unit, then commit the reservation (90 %) or release it (10 %: every
/// tenth checkout, by its index, so every target gets the same mix). A checkout is one operation of two
/// requests, the second on the id the first answer named, so this scenario's req/s are checkouts per second.
/// Each request is an effect of its own (a reserve row, then a commit or release row, each under its key).
/// </summary>
public sealed class CheckoutScenario() : Scenario("checkout", "64 clients, 100 SKUs: reserve, then commit (90 %) or release (10 %)", clients: 64, requests: 3_000)
{
    private const int Skus = 100;

    /// <summary>Every this many checkouts, one releases its hold instead of buying it.</summary>
    public const int ReleaseEvery = 10;

    protected override EffectKind Counts => EffectKind.Reservations;

    protected override async Task<IReadOnlyList<BenchRequest>> PrepareAsync(Target target, string tenant, int count)
    {
        var skus = Enumerable.Range(0, Skus).Select(i => $"CHECKOUT-{i}").ToList();
        await target.CreateSkusAsync(tenant, skus, onHand: 1_000_000);
        return Enumerable.Range(0, count).Select(i => Checkout(skus[Random.Shared.Next(Skus)], i)).ToList();
    }

    /// <summary>Checkout <paramref name="index"/>: its reserve, followed by its commit or release.</summary>
    public static BenchRequest Checkout(string sku, int index)
    {
        var resolution = index % ReleaseEvery == ReleaseEvery - 1 ? Operation.Release : Operation.Commit;
        var then = new BenchRequest(resolution, sku, 1, $"checkout-{index}-{resolution.ToString().ToLowerInvariant()}");
        return new BenchRequest(Operation.Reserve, sku, 1, $"checkout-{index}-reserve", Then: then);
    }
}
