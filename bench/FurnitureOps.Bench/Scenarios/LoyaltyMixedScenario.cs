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

    protected override EffectKind Counts => EffectKind.Loyalty;

    protected override Task<IReadOnlyList<BenchRequest>> PrepareAsync(Target target, string tenant, int count) =>
        Task.FromResult<IReadOnlyList<BenchRequest>>(Enumerable.Range(0, count).Select(i =>
        {
            var player = $"P{Random.Shared.Next(Players)}";
            var points = Random.Shared.Next(5, 100);
            var operation = Random.Shared.Next(10) switch
            {
                < 6 => Operation.Accrue,
                < 8 => Operation.Reward,
                _ => Operation.Redeem,
            };
            return new BenchRequest(operation, player, points, $"loyalty-{i}");
        }).ToList());
}
