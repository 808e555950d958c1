using System.Collections.Immutable;
using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Grains.Ledger;

namespace FurnitureOps.Grains.Loyalty;

/// <summary>
/// A player's state row plus the index of business keys already used (accrual sources, daily rewards), each
/// with the entry it produced, so a repeat can answer the first entry without touching the database, and its
/// held points holds (<see cref="Holds"/>, whose points add up to <see cref="Held"/>).
/// </summary>
public sealed record PlayerState(
    long Balance,
    long LifetimePoints,
    string Tier,
    long Version,
    DateTimeOffset UpdatedAt,
    ImmutableDictionary<string, LoyaltyEntry> ByBusinessKey,
    long Held = 0,
    ImmutableDictionary<Guid, PointsHoldView>? Holds = null) : ILedgerState
{
    public static PlayerState None(string lowestTier) =>
        new(0, 0, lowestTier, 0, DateTimeOffset.MinValue, ImmutableDictionary<string, LoyaltyEntry>.Empty);

    public bool Exists => Version > 0;

    /// <summary>What a redemption, a new hold or a reversal can take.</summary>
    public long Available => Balance - Held;

    public ImmutableDictionary<Guid, PointsHoldView> HeldPoints => Holds ?? ImmutableDictionary<Guid, PointsHoldView>.Empty;

    /// <summary>This state with <paramref name="hold"/> held too: the one place that adds to <see cref="Held"/>.</summary>
    public PlayerState Holding(PointsHoldView hold) =>
        this with { Held = Held + hold.Points, Holds = HeldPoints.Add(hold.HoldId, hold) };

    /// <summary>This state without the held <paramref name="hold"/>: the one place that takes from <see cref="Held"/>.</summary>
    public PlayerState Releasing(PointsHoldView hold) =>
        this with { Held = Held - hold.Points, Holds = HeldPoints.Remove(hold.HoldId) };

    public PlayerLoyalty ToSnapshot(string playerId, TierLadder tiers) =>
        new(playerId, Balance, LifetimePoints, Tier, tiers.ProgressFor(LifetimePoints), Version, UpdatedAt, Held);
}

/// <summary>
/// Payload of every <c>loyalty.*.v1</c> outbox event about an entry; <see cref="HoldId"/> for the points hold
/// events (whose <see cref="SourceReference"/> is the hold's own reference).
/// </summary>
public sealed record LoyaltyChanged(string PlayerId, string Operation, long Points, long Balance, long LifetimePoints, string Tier, long Version, string? SourceReference,
    long Held = 0, Guid? HoldId = null);

/// <summary>Payload of <c>loyalty.tier_changed.v1</c>.</summary>
public sealed record TierChanged(string PlayerId, string From, string To, long LifetimePoints, long Version);
