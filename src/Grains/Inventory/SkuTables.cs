using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Ledger;
using FurnitureOps.Grains.Storage.Tables;
using static FurnitureOps.Grains.Storage.Tables.TableColumn;

namespace FurnitureOps.Grains.Inventory;

/// <summary>
/// A SKU as rows: its state row in <c>inventory_items</c>, one <c>inventory_ledger</c> row per effect, and its
/// reservations in <c>inventory_reservations</c> (a row per reservation, updated once when it is resolved).
/// </summary>
public sealed class SkuTables(string tenantId, string sku) : IEntityRows<SkuState, SkuCommand>
{
    public static readonly EntityTables Schema = new(
        "sku",
        "inventory_items", "sku", [Text("name"), Bigint("on_hand"), Bigint("sold"), Bigint("reserved"), Timestamp("updated_at")],
        "inventory_ledger",
        [
            Text("operation"), Bigint("quantity"), Bigint("on_hand_before"), Bigint("on_hand_after"), Bigint("sold_before"),
            Bigint("sold_after"), Bigint("reserved_before"), Bigint("reserved_after"), Text("reference"), Text("actor"),
            Text("request_id"), Text("idempotency_key"), Timestamp("recorded_at"),
        ],
        new ChildTable(
            "inventory_reservations", "reservation_id", "sku",
            [
                Text("tenant_id"), Uuid("reservation_id"), Text("sku"), Bigint("quantity"), Text("status"),
                NullableBigint("committed_quantity"), Text("reference"), Timestamp("expires_at"), Timestamp("created_at"),
                NullableTimestamp("resolved_at"),
            ],
            ["status", "committed_quantity", "resolved_at"],
            // Resolved once: a row that is no longer held is never written again (migration 0013's trigger agrees).
            "t.status = 'held'"));

    public EntityTables Tables => Schema;

    public object?[] StateValues(SkuState state) => [state.Name, state.OnHand, state.Sold, state.Reserved, state.UpdatedAt];

    public object?[] LedgerValues(LedgerEffect<SkuState, SkuCommand> effect)
    {
        var (operation, quantity, reference) = Describe(effect);
        return
        [
            operation, quantity, effect.Before.OnHand, effect.After.OnHand, effect.Before.Sold, effect.After.Sold,
            effect.Before.Reserved, effect.After.Reserved, reference, effect.Context.Actor, effect.Context.RequestId,
            effect.Context.IdempotencyKey, effect.At,
        ];
    }

    public object? AuditSnapshot(SkuState state) => state.Exists ? state.ToSnapshot(sku) : null;

    /// <summary>Every reservation the effect created or resolved, as it is after the effect.</summary>
    public IEnumerable<object?[]> ChildValues(LedgerEffect<SkuState, SkuCommand> effect)
    {
        var before = effect.Before.HeldReservations;
        var after = effect.After.HeldReservations;
        if (ReferenceEquals(before, after))
        {
            yield break; // most effects (sales, receipts) leave the holds alone: no walk over them
        }

        foreach (var (id, held) in after.Where(pair => !before.ContainsKey(pair.Key)))
        {
            yield return Row(held with { ReservationId = id });
        }

        var operation = SkuRules.Operations.ByAuditAction(effect.Action);
        var status = operation == SkuRules.Operations.ReservationCommit ? ReservationStatus.Committed
            : operation == SkuRules.Operations.ReservationExpire ? ReservationStatus.Expired
            : ReservationStatus.Released;
        foreach (var (_, resolved) in before.Where(pair => !after.ContainsKey(pair.Key)))
        {
            var committed = status == ReservationStatus.Committed ? effect.After.Sold - effect.Before.Sold : (long?)null;
            yield return Row(resolved with { Status = status, CommittedQuantity = committed, ResolvedAt = effect.At });
        }
    }

    private object?[] Row(ReservationView reservation) =>
    [
        tenantId, reservation.ReservationId, reservation.Sku, reservation.Quantity, reservation.Status,
        reservation.CommittedQuantity, reservation.Reference, reservation.ExpiresAt, reservation.CreatedAt, reservation.ResolvedAt,
    ];

    private static (string Operation, long Quantity, string? Reference) Describe(LedgerEffect<SkuState, SkuCommand> effect) =>
        effect.Command switch
        {
            CreateSku create => (SkuRules.Operations.Create.Name, create.OnHand, null),
            ReceiveStock receive => (SkuRules.Operations.Receive.Name, receive.Quantity, receive.Reference),
            SellStock sell => (SkuRules.Operations.Sell.Name, sell.Quantity, sell.OrderRef),
            ReturnStock returned => (SkuRules.Operations.Return.Name, returned.Quantity, returned.OrderRef),
            AdjustStock adjust => (SkuRules.Operations.Adjust.Name, effect.After.OnHand - effect.Before.OnHand, adjust.Reason),
            ReserveStock reserve => (SkuRules.Operations.Reserve.Name, reserve.Quantity, reserve.ReservationId.ToString()),
            CommitReservation or ReleaseReservation or ExpireReservation => DescribeResolution(effect),
            _ => throw new ArgumentOutOfRangeException(nameof(effect), effect.Command.GetType().Name, "Unknown SKU command."),
        };

    // A commit or release past the expiry time is an expiry: the effect's action says which it was.
    private static (string, long, string?) DescribeResolution(LedgerEffect<SkuState, SkuCommand> effect)
    {
        var resolved = effect.Before.HeldReservations.Keys.Single(id => !effect.After.HeldReservations.ContainsKey(id));
        var operation = SkuRules.Operations.ByAuditAction(effect.Action);
        var quantity = operation == SkuRules.Operations.ReservationCommit
            ? effect.After.Sold - effect.Before.Sold
            : effect.Before.HeldReservations[resolved].Quantity;
        return (operation.Name, quantity, resolved.ToString());
    }
}
