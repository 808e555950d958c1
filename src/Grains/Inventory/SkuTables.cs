using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Ledger;
using FurnitureOps.Grains.Storage.Tables;
using static FurnitureOps.Grains.Storage.Tables.TableColumn;

namespace FurnitureOps.Grains.Inventory;

/// <summary>A SKU as rows: its state row in <c>inventory_items</c> and one <c>inventory_ledger</c> row per effect.</summary>
public sealed class SkuTables(string sku) : IEntityRows<SkuState, SkuCommand>
{
    public static readonly EntityTables Schema = new(
        "sku",
        "inventory_items", "sku", [Text("name"), Bigint("on_hand"), Bigint("sold"), Timestamp("updated_at")],
        "inventory_ledger",
        [
            Text("operation"), Bigint("quantity"), Bigint("on_hand_before"), Bigint("on_hand_after"), Bigint("sold_before"),
            Bigint("sold_after"), Text("reference"), Text("actor"), Text("request_id"), Text("idempotency_key"), Timestamp("recorded_at"),
        ]);

    public EntityTables Tables => Schema;

    public object?[] StateValues(SkuState state) => [state.Name, state.OnHand, state.Sold, state.UpdatedAt];

    public object?[] LedgerValues(LedgerEffect<SkuState, SkuCommand> effect)
    {
        var (operation, quantity, reference) = Describe(effect);
        return
        [
            operation, quantity, effect.Before.OnHand, effect.After.OnHand, effect.Before.Sold, effect.After.Sold, reference,
            effect.Context.Actor, effect.Context.RequestId, effect.Context.IdempotencyKey, effect.At,
        ];
    }

    public object? AuditSnapshot(SkuState state) => state.Exists ? state.ToSnapshot(sku) : null;

    private static (string Operation, long Quantity, string? Reference) Describe(LedgerEffect<SkuState, SkuCommand> effect) =>
        effect.Command switch
        {
            CreateSku create => (SkuRules.Operations.Create.Name, create.OnHand, null),
            ReceiveStock receive => (SkuRules.Operations.Receive.Name, receive.Quantity, receive.Reference),
            SellStock sell => (SkuRules.Operations.Sell.Name, sell.Quantity, sell.OrderRef),
            ReturnStock returned => (SkuRules.Operations.Return.Name, returned.Quantity, returned.OrderRef),
            AdjustStock adjust => (SkuRules.Operations.Adjust.Name, effect.After.OnHand - effect.Before.OnHand, adjust.Reason),
            _ => throw new ArgumentOutOfRangeException(nameof(effect), effect.Command.GetType().Name, "Unknown SKU command."),
        };
}
