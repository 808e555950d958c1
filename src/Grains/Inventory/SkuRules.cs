using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Ledger;

namespace FurnitureOps.Grains.Inventory;

/// <summary>The inventory business rules: stock never goes negative and returns never exceed sales.</summary>
public sealed class SkuRules(string sku) : ILedgerRules<SkuState, SkuCommand, SkuReply>
{
    public LedgerDecision<SkuState, SkuReply> Decide(SkuState state, SkuCommand command, EffectContext context)
    {
        if (command is CreateSku create)
        {
            return state.Exists
                ? new LedgerDecision<SkuState, SkuReply>.Reject(SkuReply.Rejected(SkuRejection.SkuExists))
                : Accept(new SkuState(create.Name, create.OnHand, 0, context.NextVersion, context.Now),
                    Operations.Create, create.OnHand, reference: null);
        }

        if (!state.Exists)
        {
            return new LedgerDecision<SkuState, SkuReply>.Refuse(SkuReply.Rejected(SkuRejection.SkuNotFound));
        }

        var next = state with { Version = context.NextVersion, UpdatedAt = context.Now };
        return command switch
        {
            ReceiveStock receive => Accept(next with { OnHand = state.OnHand + receive.Quantity },
                Operations.Receive, receive.Quantity, receive.Reference),

            SellStock sell when sell.Quantity > state.OnHand =>
                new LedgerDecision<SkuState, SkuReply>.Reject(SkuReply.Rejected(SkuRejection.InsufficientStock, state.OnHand)),
            SellStock sell => Accept(next with { OnHand = state.OnHand - sell.Quantity, Sold = state.Sold + sell.Quantity },
                Operations.Sell, sell.Quantity, sell.OrderRef),

            ReturnStock returned when returned.Quantity > state.Sold =>
                new LedgerDecision<SkuState, SkuReply>.Reject(SkuReply.Rejected(SkuRejection.ReturnExceedsSold, state.Sold)),
            ReturnStock returned => Accept(next with { OnHand = state.OnHand + returned.Quantity, Sold = state.Sold - returned.Quantity },
                Operations.Return, returned.Quantity, returned.OrderRef),

            AdjustStock adjust => Accept(next with { OnHand = adjust.OnHand },
                Operations.Adjust, adjust.OnHand - state.OnHand, adjust.Reason),

            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown SKU command."),
        };
    }

    private LedgerDecision<SkuState, SkuReply> Accept(SkuState next, Operation operation, long quantity, string? reference) =>
        new LedgerDecision<SkuState, SkuReply>.Accept(
            next,
            SkuReply.Applied(next.ToSnapshot(sku)),
            operation.AuditAction,
            [new DomainEvent(operation.EventType,
                new InventoryChanged(sku, operation.Name, quantity, next.OnHand, next.Sold, next.Version, reference))]);

    /// <summary>A ledger operation, with the audit action and versioned outbox event type it produces.</summary>
    public sealed record Operation(string Name, string AuditAction, string EventType);

    public static class Operations
    {
        public static readonly Operation Create = new("create", "inventory.created", "inventory.created.v1");
        public static readonly Operation Receive = new("receive", "inventory.received", "inventory.received.v1");
        public static readonly Operation Sell = new("sell", "inventory.sold", "inventory.sold.v1");
        public static readonly Operation Return = new("return", "inventory.returned", "inventory.returned.v1");
        public static readonly Operation Adjust = new("adjust", "inventory.adjusted", "inventory.adjusted.v1");
    }
}
