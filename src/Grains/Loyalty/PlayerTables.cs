using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Grains.Ledger;
using FurnitureOps.Grains.Storage.Tables;
using static FurnitureOps.Grains.Storage.Tables.TableColumn;

namespace FurnitureOps.Grains.Loyalty;

/// <summary>
/// A player's balance as rows: its state row in <c>loyalty_players</c>, one <c>loyalty_ledger</c> row per effect,
/// and its points holds in <c>loyalty_holds</c> (a row per hold, updated once when it is resolved).
/// </summary>
public sealed class PlayerTables(string tenantId, string playerId, TierLadder tiers, TimeZoneInfo businessDay) : IEntityRows<PlayerState, LoyaltyCommand>
{
    public static readonly EntityTables Schema = new(
        "player",
        "loyalty_players", "player_id", [Bigint("balance"), Bigint("lifetime_points"), Text("tier"), Bigint("held"), Timestamp("updated_at")],
        "loyalty_ledger",
        [
            Text("operation"), Bigint("points"), Bigint("balance_before"), Bigint("balance_after"), Text("tier_before"),
            Text("tier_after"), Bigint("lifetime_after"), Text("reason"), Text("source_reference"), Text("business_key"),
            Text("staff_id"), Text("correlation_id"), Text("idempotency_key"), Timestamp("recorded_at"), Bigint("held_before"),
            Bigint("held_after"),
        ],
        new ChildTable(
            "loyalty_holds", "hold_id", "player_id",
            [
                Text("tenant_id"), Uuid("hold_id"), Text("player_id"), Bigint("points"), Text("status"),
                NullableBigint("committed_points"), Text("reference"), Timestamp("expires_at"), Timestamp("created_at"),
                NullableTimestamp("resolved_at"),
            ],
            ["status", "committed_points", "resolved_at"],
            // Resolved once: a row that is no longer held is never written again (migration 0015's trigger agrees).
            "t.status = 'held'"));

    public EntityTables Tables => Schema;

    public object?[] StateValues(PlayerState state) => [state.Balance, state.LifetimePoints, state.Tier, state.Held, state.UpdatedAt];

    public object?[] LedgerValues(LedgerEffect<PlayerState, LoyaltyCommand> effect)
    {
        // A hold effect's row follows from its states (a late commit is an expiry: the action says which it was);
        // any other's from its command, with the points really moved (a reversal may take back less than it asked for).
        var line = PointsHoldRules.Decides(effect.Command)
            ? PointsHoldRules.Line(LoyaltyRules.Operations.OfAction(effect.Action), effect.Before, effect.After)
            : LoyaltyRules.Describe(playerId, effect.Command, effect.Context, effect.At, businessDay) with
            {
                Points = Math.Abs(effect.After.Balance - effect.Before.Balance),
            };
        return
        [
            line.Operation, line.Points, effect.Before.Balance, effect.After.Balance, effect.Before.Tier, effect.After.Tier,
            effect.After.LifetimePoints, line.Reason, line.SourceReference, line.BusinessKey,
            effect.Context.Actor, effect.Context.RequestId, effect.Context.IdempotencyKey, effect.At, effect.Before.Held, effect.After.Held,
        ];
    }

    public object? AuditSnapshot(PlayerState state) => state.Exists ? state.ToSnapshot(playerId, tiers) : null;

    /// <summary>Every points hold the effect created or resolved, as it is after the effect.</summary>
    public IEnumerable<object?[]> ChildValues(LedgerEffect<PlayerState, LoyaltyCommand> effect)
    {
        var before = effect.Before.HeldPoints;
        var after = effect.After.HeldPoints;
        if (ReferenceEquals(before, after))
        {
            yield break; // accruals, rewards and redemptions leave the holds alone: no walk over them
        }

        foreach (var (_, held) in after.Where(pair => !before.ContainsKey(pair.Key)))
        {
            yield return Row(held);
        }

        var status = LoyaltyRules.Operations.OfAction(effect.Action) switch
        {
            LoyaltyRules.Operations.HoldCommit => PointsHoldStatus.Committed,
            LoyaltyRules.Operations.HoldExpire => PointsHoldStatus.Expired,
            _ => PointsHoldStatus.Released,
        };
        foreach (var (_, resolved) in before.Where(pair => !after.ContainsKey(pair.Key)))
        {
            var committed = status == PointsHoldStatus.Committed ? effect.Before.Balance - effect.After.Balance : (long?)null;
            yield return Row(resolved with { Status = status, CommittedPoints = committed, ResolvedAt = effect.At });
        }
    }

    private object?[] Row(PointsHoldView hold) =>
    [
        tenantId, hold.HoldId, hold.PlayerId, hold.Points, hold.Status, hold.CommittedPoints, hold.Reference, hold.ExpiresAt,
        hold.CreatedAt, hold.ResolvedAt,
    ];
}
