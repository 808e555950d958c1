using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Ledger;
using FurnitureOps.Grains.Storage;

namespace FurnitureOps.Grains.Inventory;

/// <summary>
/// The inventory business rules: stock never goes negative, returns never exceed sales, and a sale or a
/// reservation takes only what is available (on hand less reserved). A reservation is held until it is
/// committed, released or expired, once; a commit or release that comes after its expiry time expires it.
/// </summary>
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

            SellStock sell when sell.Quantity > state.Available => Reject(SkuRejection.InsufficientStock, state.Available),
            SellStock sell => Accept(next with { OnHand = state.OnHand - sell.Quantity, Sold = state.Sold + sell.Quantity },
                Operations.Sell, sell.Quantity, sell.OrderRef),

            ReturnStock returned when returned.Quantity > state.Sold => Reject(SkuRejection.ReturnExceedsSold, state.Sold),
            ReturnStock returned => Accept(next with { OnHand = state.OnHand + returned.Quantity, Sold = state.Sold - returned.Quantity },
                Operations.Return, returned.Quantity, returned.OrderRef),

            AdjustStock adjust when adjust.OnHand < state.Reserved && !adjust.ReleaseHolds =>
                Reject(SkuRejection.ReservationsExceedStock, state.Reserved),
            AdjustStock adjust when adjust.ReleaseHolds => Accept(next with { OnHand = adjust.OnHand, Reserved = 0, Held = null },
                Operations.Adjust, adjust.OnHand - state.OnHand, adjust.Reason),
            AdjustStock adjust => Accept(next with { OnHand = adjust.OnHand },
                Operations.Adjust, adjust.OnHand - state.OnHand, adjust.Reason),

            ReserveStock reserve => Reserve(state, next, reserve, context),
            CommitReservation commit => Resolve(state, next, commit.ReservationId, context, commit.Quantity, committing: true),
            ReleaseReservation release => Resolve(state, next, release.ReservationId, context, quantity: null, committing: false),
            ExpireReservation expire => Expire(state, next, expire.ReservationId, context),

            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Unknown SKU command."),
        };
    }

    private LedgerDecision<SkuState, SkuReply> Reserve(SkuState state, SkuState next, ReserveStock reserve, EffectContext context)
    {
        if (reserve.Quantity > state.Available)
        {
            return Reject(SkuRejection.InsufficientStock, state.Available);
        }

        // Almost always the resend of the reservation under its first key, by a new activation that does not
        // know the key yet: recording this answer conflicts with the stored one, and the resend replays that.
        if (state.HeldReservations.ContainsKey(reserve.ReservationId))
        {
            return Reject(SkuRejection.ReservationExists, null);
        }

        var held = new ReservationView(reserve.ReservationId, sku, reserve.Quantity, ReservationStatus.Held, null, reserve.Reference,
            PostgresTime.Microseconds(reserve.ExpiresAt), context.Now, null);
        return Accept(next.Holding(held), Operations.Reserve, reserve.Quantity, reserve.Reference, held);
    }

    /// <summary>A client's commit or release of a held reservation; past its expiry time, its expiry instead.</summary>
    private LedgerDecision<SkuState, SkuReply> Resolve(SkuState state, SkuState next, Guid id, EffectContext context, long? quantity, bool committing)
    {
        if (!state.HeldReservations.TryGetValue(id, out var held))
        {
            // Committed, released or expired before, or never this SKU's: the grain tells which from its row.
            return Reject(SkuRejection.ReservationNotHeld, null);
        }

        if (context.Now >= held.ExpiresAt)
        {
            var expiry = Expire(next, held, context);
            return expiry with { Reply = SkuReply.Rejected(SkuRejection.ReservationNotHeld, null, ReservationStatus.Expired) with { Reservation = expiry.Reply.Reservation } };
        }

        if (!committing)
        {
            return Accept(next.Releasing(held), Operations.ReservationRelease, held.Quantity, id.ToString(), Resolved(held, ReservationStatus.Released, null, context));
        }

        var sold = quantity ?? held.Quantity;
        if (sold > held.Quantity)
        {
            return Reject(SkuRejection.CommitExceedsReservation, held.Quantity);
        }

        return Accept(next.Releasing(held) with { OnHand = state.OnHand - sold, Sold = state.Sold + sold },
            Operations.ReservationCommit, sold, id.ToString(), Resolved(held, ReservationStatus.Committed, sold, context));
    }

    private LedgerDecision<SkuState, SkuReply> Expire(SkuState state, SkuState next, Guid id, EffectContext context) =>
        state.HeldReservations.TryGetValue(id, out var held) ? Expire(next, held, context) : Reject(SkuRejection.ReservationNotHeld, null);

    private LedgerDecision<SkuState, SkuReply>.Accept Expire(SkuState next, ReservationView held, EffectContext context) =>
        Accept(next.Releasing(held), Operations.ReservationExpire, held.Quantity, held.ReservationId.ToString(),
            Resolved(held, ReservationStatus.Expired, null, context));

    private static ReservationView Resolved(ReservationView held, string status, long? committed, EffectContext context) =>
        held with { Status = status, CommittedQuantity = committed, ResolvedAt = context.Now };

    private static LedgerDecision<SkuState, SkuReply> Reject(string code, long? available) =>
        new LedgerDecision<SkuState, SkuReply>.Reject(SkuReply.Rejected(code, available));

    private LedgerDecision<SkuState, SkuReply>.Accept Accept(SkuState next, Operation operation, long quantity, string? reference,
        ReservationView? reservation = null) =>
        new LedgerDecision<SkuState, SkuReply>.Accept(
            next,
            SkuReply.Applied(next.ToSnapshot(sku), reservation),
            operation.AuditAction,
            [new DomainEvent(operation.EventType,
                new InventoryChanged(sku, operation.Name, quantity, next.OnHand, next.Sold, next.Version, reservation?.Reference ?? reference,
                    next.Reserved, reservation?.ReservationId))]);

    /// <summary>A ledger operation, with the audit action and versioned outbox event type it produces.</summary>
    public sealed record Operation(string Name, string AuditAction, string EventType);

    public static class Operations
    {
        public static readonly Operation Create = new("create", "inventory.created", "inventory.created.v1");
        public static readonly Operation Receive = new("receive", "inventory.received", "inventory.received.v1");
        public static readonly Operation Sell = new("sell", "inventory.sold", "inventory.sold.v1");
        public static readonly Operation Return = new("return", "inventory.returned", "inventory.returned.v1");
        public static readonly Operation Adjust = new("adjust", "inventory.adjusted", "inventory.adjusted.v1");
        public static readonly Operation Reserve = new("reserve", "inventory.reserved", "inventory.reserved.v1");
        public static readonly Operation ReservationCommit = new("reservation_commit", "inventory.reservation_committed", "inventory.reservation_committed.v1");
        public static readonly Operation ReservationRelease = new("reservation_release", "inventory.reservation_released", "inventory.reservation_released.v1");
        public static readonly Operation ReservationExpire = new("reservation_expire", "inventory.reservation_expired", "inventory.reservation_expired.v1");

        /// <summary>The operation an effect's audit action names.</summary>
        public static Operation ByAuditAction(string action) =>
            All.FirstOrDefault(operation => operation.AuditAction == action) ?? throw new ArgumentOutOfRangeException(nameof(action), action, "Unknown SKU operation.");

        private static readonly Operation[] All = [Create, Receive, Sell, Return, Adjust, Reserve, ReservationCommit, ReservationRelease, ReservationExpire];
    }
}
