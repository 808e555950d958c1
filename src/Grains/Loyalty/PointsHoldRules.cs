using System.Collections.Immutable;
using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Grains.Ledger;
using FurnitureOps.Grains.Storage;
using static FurnitureOps.Grains.Loyalty.LoyaltyRules;

namespace FurnitureOps.Grains.Loyalty;

/// <summary>
/// The points hold rules, as the stock reservations' (<c>SkuRules</c>): a hold takes only what is available
/// (the balance less the points held) and is held until it is committed (a redemption of its points or fewer,
/// the rest released), released or expired, once; a commit or release that comes after its expiry time
/// expires it. A hold never changes lifetime points or the tier.
/// </summary>
public sealed class PointsHoldRules(string playerId, TierLadder tiers)
{
    private static readonly Dictionary<string, string> EventTypes = new()
    {
        [Operations.Hold] = "loyalty.points_held.v1",
        [Operations.HoldCommit] = "loyalty.points_hold_committed.v1",
        [Operations.HoldRelease] = "loyalty.points_hold_released.v1",
        [Operations.HoldExpire] = "loyalty.points_hold_expired.v1",
    };

    /// <summary>Whether <paramref name="command"/> is a points hold command, decided here.</summary>
    public static bool Decides(LoyaltyCommand command) => command is HoldPoints or CommitPointsHold or ReleasePointsHold or ExpirePointsHold;

    public LedgerDecision<PlayerState, LoyaltyReply> Decide(PlayerState state, LoyaltyCommand command, EffectContext context)
    {
        if (!state.Exists)
        {
            // Nothing to hold from, and no hold to resolve: answered, not recorded.
            return new LedgerDecision<PlayerState, LoyaltyReply>.Refuse(command is HoldPoints
                ? LoyaltyReply.Rejected(LoyaltyRejection.InsufficientPoints, 0)
                : LoyaltyReply.Rejected(LoyaltyRejection.HoldNotFound));
        }

        var next = state with { Version = context.NextVersion, UpdatedAt = context.Now };
        return command switch
        {
            HoldPoints hold => Hold(state, next, hold, context),
            CommitPointsHold commit => Resolve(state, next, commit.HoldId, context, commit.Points, committing: true),
            ReleasePointsHold release => Resolve(state, next, release.HoldId, context, points: null, committing: false),
            ExpirePointsHold expire => state.HeldPoints.TryGetValue(expire.HoldId, out var held)
                ? Expire(state, next, held, context)
                : Reject(LoyaltyRejection.HoldNotHeld, null),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name, "Not a points hold command."),
        };
    }

    /// <summary>
    /// What a hold effect writes into its ledger row, from the states before and after it: the points it held,
    /// redeemed (a commit) or gave back, and the hold's id as the source reference. Shared by the rules and the
    /// store so both always agree.
    /// </summary>
    public static LedgerLine Line(string operation, PlayerState before, PlayerState after)
    {
        var points = operation switch
        {
            Operations.Hold => after.Held - before.Held,
            Operations.HoldCommit => before.Balance - after.Balance,
            _ => before.Held - after.Held,
        };
        return new LedgerLine(operation, points, null, ChangedHold(before.HeldPoints, after.HeldPoints).ToString(), null);
    }

    // One hold effect adds or removes exactly one hold.
    private static Guid ChangedHold(ImmutableDictionary<Guid, PointsHoldView> before, ImmutableDictionary<Guid, PointsHoldView> after) =>
        after.Keys.Concat(before.Keys).Single(id => before.ContainsKey(id) != after.ContainsKey(id));

    private LedgerDecision<PlayerState, LoyaltyReply> Hold(PlayerState state, PlayerState next, HoldPoints hold, EffectContext context)
    {
        if (hold.Points > state.Available)
        {
            return Reject(LoyaltyRejection.InsufficientPoints, state.Available);
        }

        if (state.HeldPoints.ContainsKey(hold.HoldId))
        {
            throw new InvalidOperationException($"Points hold {hold.HoldId} is already held; a new hold needs a new id.");
        }

        var held = new PointsHoldView(hold.HoldId, playerId, hold.Points, PointsHoldStatus.Held, null, hold.Reference,
            PostgresTime.Microseconds(hold.ExpiresAt), context.Now, null);
        return Accept(state, next.Holding(held), Operations.Hold, held, context);
    }

    /// <summary>A client's commit or release of a held hold; past its expiry time, its expiry instead.</summary>
    private LedgerDecision<PlayerState, LoyaltyReply> Resolve(PlayerState state, PlayerState next, Guid id, EffectContext context, long? points, bool committing)
    {
        if (!state.HeldPoints.TryGetValue(id, out var held))
        {
            // Committed, released or expired before, or never this player's: the grain tells which from its row.
            return Reject(LoyaltyRejection.HoldNotHeld, null);
        }

        if (context.Now >= held.ExpiresAt)
        {
            var expiry = Expire(state, next, held, context);
            return expiry with { Reply = LoyaltyReply.Rejected(LoyaltyRejection.HoldNotHeld, null, PointsHoldStatus.Expired) with { Hold = expiry.Reply.Hold } };
        }

        if (!committing)
        {
            return Accept(state, next.Releasing(held), Operations.HoldRelease, Resolved(held, PointsHoldStatus.Released, null, context), context);
        }

        var redeemed = points ?? held.Points;
        if (redeemed > held.Points)
        {
            return Reject(LoyaltyRejection.CommitExceedsHold, held.Points);
        }

        return Accept(state, next.Releasing(held) with { Balance = state.Balance - redeemed }, Operations.HoldCommit,
            Resolved(held, PointsHoldStatus.Committed, redeemed, context), context);
    }

    private LedgerDecision<PlayerState, LoyaltyReply>.Accept Expire(PlayerState state, PlayerState next, PointsHoldView held, EffectContext context) =>
        Accept(state, next.Releasing(held), Operations.HoldExpire, Resolved(held, PointsHoldStatus.Expired, null, context), context);

    private static PointsHoldView Resolved(PointsHoldView held, string status, long? committed, EffectContext context) =>
        held with { Status = status, CommittedPoints = committed, ResolvedAt = context.Now };

    private static LedgerDecision<PlayerState, LoyaltyReply> Reject(string code, long? available) =>
        new LedgerDecision<PlayerState, LoyaltyReply>.Reject(LoyaltyReply.Rejected(code, available));

    private LedgerDecision<PlayerState, LoyaltyReply>.Accept Accept(PlayerState state, PlayerState next, string operation, PointsHoldView hold,
        EffectContext context)
    {
        var line = Line(operation, state, next);
        var entry = new LoyaltyEntry(next.Version, operation, line.Points, state.Balance, next.Balance, state.Tier, next.Tier,
            next.LifetimePoints, null, line.SourceReference, context.Command.Actor, context.Command.RequestId, context.Now, state.Held, next.Held);
        return new LedgerDecision<PlayerState, LoyaltyReply>.Accept(
            next,
            new LoyaltyReply(entry, next.ToSnapshot(playerId, tiers), false, null, hold),
            Operations.Action(operation),
            [new DomainEvent(EventTypes[operation], new LoyaltyChanged(playerId, operation, line.Points, next.Balance, next.LifetimePoints,
                next.Tier, next.Version, hold.Reference, next.Held, hold.HoldId))]);
    }
}
