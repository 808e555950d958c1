using FurnitureOps.Bench.Load;
using FurnitureOps.Bench.Targets;

namespace FurnitureOps.Bench.Scenarios;

/// <summary>
/// Accruals (60 %), manual rewards (20 %) and redemptions (20 %) on 100 players. A redemption larger than the
/// balance is a business refusal (409), not an error.
/// </summary>
public sealed class LoyaltyMixedScenario() : Scenario("loyalty-mixed", "64 clients, 100 players: 60 % accrue, 20 % reward, 20 % redeem", clients: 64, requests: 3_000)
{
    private const int Players = 100;

    protected override bool Loyalty => true;

    protected override Task<IReadOnlyList<BenchRequest>> PrepareAsync(Target target, string tenant, int count) =>
        Task.FromResult<IReadOnlyList<BenchRequest>>(Enumerable.Range(0, count).Select(i =>
        {
            var player = $"/v1/players/P{Random.Shared.Next(Players)}/loyalty";
            var key = $"loyalty-{i}";
            var points = Random.Shared.Next(5, 100);
            return Random.Shared.Next(10) switch
            {
                < 6 => new BenchRequest($"{player}/accruals", $$"""{"points":{{points}},"sourceType":"bench","sourceId":"{{key}}"}""", key),
                < 8 => new BenchRequest($"{player}/rewards", $$"""{"points":{{points}},"reason":"bench"}""", key),
                _ => new BenchRequest($"{player}/redemptions", $$"""{"points":{{points}},"reference":"{{key}}"}""", key),
            };
        }).ToList());
}
