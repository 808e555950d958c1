namespace FurnitureOps.Grains.Interfaces.Loyalty;

/// <summary>
/// A player's balance as seen from outside. <c>TierProgress</c> is the fraction of the way from the current
/// tier's floor to the next tier's (1.0 at the top tier); <c>Version</c> counts the player's ledger entries.
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.player-loyalty")]
public sealed record PlayerLoyalty(
    string PlayerId,
    long Balance,
    long LifetimePoints,
    string Tier,
    double TierProgress,
    long Version,
    DateTimeOffset UpdatedAt);

/// <summary>
/// One row of a player's loyalty ledger. <c>Points</c> is positive; <c>Operation</c> (accrue, reward, redeem,
/// reverse) says in which direction. <c>StaffId</c> is the acting principal (the token's <c>sub</c>) and
/// <c>CorrelationId</c> the request id of the request that caused the entry.
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-entry")]
public sealed record LoyaltyEntry(
    long Version,
    string Operation,
    long Points,
    long BalanceBefore,
    long BalanceAfter,
    string TierBefore,
    string TierAfter,
    long LifetimeAfter,
    string? Reason,
    string? SourceReference,
    string StaffId,
    string CorrelationId,
    DateTimeOffset At);

/// <summary>Why a loyalty command was not applied.</summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-rejection")]
public sealed record LoyaltyRejection(string Code, long? Available = null)
{
    /// <summary>A redemption larger than the balance; <see cref="Available"/> is the balance.</summary>
    public const string InsufficientPoints = "insufficient_points";

    /// <summary>The player has never had a loyalty entry.</summary>
    public const string PlayerNotFound = "player_not_found";

    /// <summary>A reversal found no points to take back (the balance is 0).</summary>
    public const string NothingToReverse = "nothing_to_reverse";

    /// <summary>
    /// An accrual whose source was accrued before with other points; <see cref="Available"/> is the points of
    /// that first entry.
    /// </summary>
    public const string SourceReused = "source_reused";
}

/// <summary>
/// The reply to a loyalty command: either an entry with the state after it, or a rejection. A command whose
/// business key was already used answers the earlier entry with <see cref="Deduplicated"/> set.
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-reply")]
public sealed record LoyaltyReply(LoyaltyEntry? Entry, PlayerLoyalty? State, bool Deduplicated, LoyaltyRejection? Rejection);
