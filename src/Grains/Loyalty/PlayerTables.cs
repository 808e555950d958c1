using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Grains.Ledger;
using FurnitureOps.Grains.Storage.Tables;
using static FurnitureOps.Grains.Storage.Tables.TableColumn;

namespace FurnitureOps.Grains.Loyalty;

/// <summary>A player's balance as rows: its state row in <c>loyalty_players</c> and one <c>loyalty_ledger</c> row per effect.</summary>
public sealed class PlayerTables(string playerId, TierLadder tiers, TimeZoneInfo businessDay) : IEntityRows<PlayerState, LoyaltyCommand>
{
    public static readonly EntityTables Schema = new(
        "player",
        "loyalty_players", "player_id", [Bigint("balance"), Bigint("lifetime_points"), Text("tier"), Timestamp("updated_at")],
        "loyalty_ledger",
        [
            Text("operation"), Bigint("points"), Bigint("balance_before"), Bigint("balance_after"), Text("tier_before"),
            Text("tier_after"), Bigint("lifetime_after"), Text("reason"), Text("source_reference"), Text("business_key"),
            Text("staff_id"), Text("correlation_id"), Text("idempotency_key"), Timestamp("recorded_at"),
        ]);

    public EntityTables Tables => Schema;

    public object?[] StateValues(PlayerState state) => [state.Balance, state.LifetimePoints, state.Tier, state.UpdatedAt];

    public object?[] LedgerValues(LedgerEffect<PlayerState, LoyaltyCommand> effect)
    {
        var line = LoyaltyRules.Describe(playerId, effect.Command, effect.Context, effect.At, businessDay);

        // The points really moved: a reversal may take back less than it asked for (never below a zero balance).
        var points = Math.Abs(effect.After.Balance - effect.Before.Balance);
        return
        [
            line.Operation, points, effect.Before.Balance, effect.After.Balance, effect.Before.Tier, effect.After.Tier,
            effect.After.LifetimePoints, line.Reason, line.SourceReference, line.BusinessKey,
            effect.Context.Actor, effect.Context.RequestId, effect.Context.IdempotencyKey, effect.At,
        ];
    }

    public object? AuditSnapshot(PlayerState state) => state.Exists ? state.ToSnapshot(playerId, tiers) : null;
}
