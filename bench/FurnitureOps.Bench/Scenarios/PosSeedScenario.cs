using FurnitureOps.Bench.Load;
using FurnitureOps.Bench.Targets;

namespace FurnitureOps.Bench.Scenarios;

/// <summary>
/// The seeds' POS load test over HTTP: 400 sale events of one line, for 50 players, each delivered 5 times with
/// the identical body and key (a terminal retrying), shuffled, from 75 terminals over 40 SKUs. The first delivery
/// of an event answers 201, the others 204. Measured on FurnitureOps over HTTP only: neither the baseline nor the
/// grains target has POS intake.
/// </summary>
public sealed class PosSeedScenario() : Scenario("pos-seed", "2,000 POS deliveries of 400 events (identical retries), 75 terminals, 40 SKUs",
    clients: 75, requests: 2_000)
{
    private const int Deliveries = 5;
    private const int Skus = 40;
    private const int Players = 50;

    public override bool RunsOn(Target target) => target is FurnitureOpsTarget;

    protected override async Task<IReadOnlyList<BenchRequest>> PrepareAsync(Target target, string tenant, int count)
    {
        var skus = Enumerable.Range(0, Skus).Select(i => $"POS-{i}").ToList();
        await target.CreateSkusAsync(tenant, skus, onHand: 1_000_000);
        var events = Enumerable.Range(0, count / Deliveries)
            .Select(i => new BenchRequest(Operation.PosSale, skus[i % Skus], 1 + (i % 3), $"till-{i % Clients}-{i:D6}", $"P-{i % Players}"))
            .ToList();
        var all = events.SelectMany(posEvent => Enumerable.Repeat(posEvent, Deliveries)).ToArray();
        Random.Shared.Shuffle(all);
        return all;
    }

    // One sale per event (its line's ledger row), however many times it was delivered.
    protected override long ExpectedEffects(LoadResult load, IReadOnlyList<BenchRequest> requests) =>
        requests.Select(r => r.IdempotencyKey).Distinct().Count();
}
