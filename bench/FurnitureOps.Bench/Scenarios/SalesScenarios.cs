using FurnitureOps.Bench.Load;
using FurnitureOps.Bench.Targets;

namespace FurnitureOps.Bench.Scenarios;

/// <summary>The seeds' load test: 2,000 requests carrying 400 distinct keys (each sent 5 times, shuffled) from 75 callers.</summary>
public sealed class SeedLoadScenario() : Scenario("seed-load", "2,000 sales, 400 distinct keys, 75 clients, 40 SKUs", clients: 75, requests: 2_000)
{
    private const int Repeats = 5;
    private const int Skus = 40;

    protected override async Task<IReadOnlyList<BenchRequest>> PrepareAsync(Target target, string tenant, int count)
    {
        var skus = Enumerable.Range(0, Skus).Select(i => $"SEED-{i}").ToList();
        await target.CreateSkusAsync(tenant, skus, onHand: 1_000_000);
        var distinct = Enumerable.Range(0, count / Repeats).Select(i => Sale(skus[i % Skus], $"seed-{i}")).ToList();
        var all = distinct.SelectMany(request => Enumerable.Repeat(request, Repeats)).ToArray();
        Random.Shared.Shuffle(all);
        return all;
    }

    // Every distinct key exactly once, however many times it was sent.
    protected override long ExpectedEffects(LoadResult load, IReadOnlyList<BenchRequest> requests) =>
        requests.Select(r => r.IdempotencyKey).Distinct().Count();
}

/// <summary>Every caller sells the same SKU, each request under a new key: the write path's contention case.</summary>
public sealed class HotSkuScenario() : Scenario("hot-sku", "75 clients selling one SKU, a new key per request", clients: 75, requests: 3_000)
{
    protected override async Task<IReadOnlyList<BenchRequest>> PrepareAsync(Target target, string tenant, int count)
    {
        await target.CreateSkusAsync(tenant, ["HOT"], onHand: 1_000_000); // the API's largest quantity
        return Enumerable.Range(0, count).Select(i => Sale("HOT", $"hot-{i}")).ToList();
    }
}

/// <summary>Sales spread uniformly over 1,000 SKUs: little contention, so every request is close to its own transaction.</summary>
public sealed class SpreadScenario() : Scenario("spread", "64 clients, 1,000 SKUs, uniform", clients: 64, requests: 4_000)
{
    private const int Skus = 1_000;

    protected override async Task<IReadOnlyList<BenchRequest>> PrepareAsync(Target target, string tenant, int count)
    {
        var skus = Enumerable.Range(0, Skus).Select(i => $"SPREAD-{i}").ToList();
        await target.CreateSkusAsync(tenant, skus, onHand: 1_000_000);
        return Enumerable.Range(0, count).Select(i => Sale(skus[Random.Shared.Next(Skus)], $"spread-{i}")).ToList();
    }
}

/// <summary>One sale, then the same request under the same key over and over, as a client retrying would.</summary>
public sealed class ReplayScenario() : Scenario("replay", "75 clients resending one committed sale (same key)", clients: 75, requests: 5_000)
{
    protected override async Task<IReadOnlyList<BenchRequest>> PrepareAsync(Target target, string tenant, int count)
    {
        await target.CreateSkusAsync(tenant, ["REPLAY"], onHand: 1_000);
        var sale = Sale("REPLAY", "replay-1");
        var first = await LoadRunner.RunAsync(target, "replay: first sale", tenant, [sale], 1, TimeSpan.FromSeconds(30));
        if (first.AcknowledgedKeys.Count != 1)
        {
            throw new InvalidOperationException($"The first sale was not acknowledged: {string.Join(", ", first.Statuses)}");
        }

        return Enumerable.Repeat(sale, count).ToList();
    }

    protected override long ExpectedEffects(LoadResult load, IReadOnlyList<BenchRequest> requests) => 1;
}
