using System.Collections.Immutable;
using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Grains.Ledger;

namespace FurnitureOps.Grains.Loyalty;

/// <summary>
/// A player's state row plus the index of business keys already used (accrual sources, daily rewards), each
/// with the entry it produced, so a repeat can answer the first entry without touching the database.
/// </summary>
public sealed record PlayerState(
    long Balance,
    long LifetimePoints,
    string Tier,
    long Version,
    DateTimeOffset UpdatedAt,
    ImmutableDictionary<string, LoyaltyEntry> ByBusinessKey) : ILedgerState
{
    public static PlayerState None(string lowestTier) =>
        new(0, 0, lowestTier, 0, DateTimeOffset.MinValue, ImmutableDictionary<string, LoyaltyEntry>.Empty);

    public bool Exists => Version > 0;

    public PlayerLoyalty ToSnapshot(string playerId, TierLadder tiers) =>
        new(playerId, Balance, LifetimePoints, Tier, tiers.ProgressFor(LifetimePoints), Version, UpdatedAt);
}

/// <summary>Payload of every <c>loyalty.*.v1</c> outbox event about an entry.</summary>
public sealed record LoyaltyChanged(string PlayerId, string Operation, long Points, long Balance, long LifetimePoints, string Tier, long Version, string? SourceReference);

/// <summary>Payload of <c>loyalty.tier_changed.v1</c>.</summary>
public sealed record TierChanged(string PlayerId, string From, string To, long LifetimePoints, long Version);
