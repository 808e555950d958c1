namespace FurnitureOps.Grains.Interfaces.Loyalty;

/// <summary>
/// A player's balance as seen from outside. <c>TierProgress</c> is the fraction of the way from the current
/// tier's floor to the next tier's (1.0 at the top tier); <c>Version</c> counts the player's ledger entries.
/// <see cref="Held"/> is the part of the balance held by points holds.
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.player-loyalty")]
public sealed record PlayerLoyalty(
    string PlayerId,
    long Balance,
    long LifetimePoints,
    string Tier,
    double TierProgress,
    long Version,
    DateTimeOffset UpdatedAt,
    long Held = 0)
{
    /// <summary>What a redemption, a new hold or a reversal can take.</summary>
    public long Available => Balance - Held;
}

/// <summary>
/// One row of a player's loyalty ledger. <c>Points</c> is positive; <c>Operation</c> (accrue, reward, redeem,
/// reverse, hold, hold_commit, hold_release, hold_expire) says in which direction, and whether it moves the
/// balance or only the points held (<c>HeldBefore</c>/<c>HeldAfter</c>). <c>StaffId</c> is the acting principal (the token's <c>sub</c>) and
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
    DateTimeOffset At,
    long HeldBefore = 0,
    long HeldAfter = 0);

/// <summary>
/// Why a loyalty command was not applied. <see cref="HoldStatus"/> is set for a points hold that is no longer held.
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-rejection")]
public sealed record LoyaltyRejection(string Code, long? Available = null, string? HoldStatus = null)
{
    /// <summary>
    /// A redemption or hold larger than what is available (the balance less held); <see cref="Available"/> says
    /// how much there is.
    /// </summary>
    public const string InsufficientPoints = "insufficient_points";

    /// <summary>A points hold command for an id this player never held.</summary>
    public const string HoldNotFound = "hold_not_found";

    /// <summary>A commit or release of a points hold that is no longer held; <see cref="HoldStatus"/> says what it became.</summary>
    public const string HoldNotHeld = "hold_not_held";

    /// <summary>A commit of more points than the hold holds; <see cref="Available"/> is the points held.</summary>
    public const string CommitExceedsHold = "commit_exceeds_hold";

    /// <summary>The player has never had a loyalty entry.</summary>
    public const string PlayerNotFound = "player_not_found";

    /// <summary>A reversal found no points to take back (none are available: the balance is 0 or all held).</summary>
    public const string NothingToReverse = "nothing_to_reverse";

    /// <summary>
    /// An accrual whose source was accrued before with other points; <see cref="Available"/> is the points of
    /// that first entry.
    /// </summary>
    public const string SourceReused = "source_reused";
}

/// <summary>
/// The reply to a loyalty command: either an entry with the state after it, or a rejection. A command whose
/// business key was already used answers the earlier entry with <see cref="Deduplicated"/> set. <see cref="Hold"/>
/// is the points hold a hold command made or changed (also on the rejection of a commit that came too late and
/// expired it).
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-reply")]
public sealed record LoyaltyReply(LoyaltyEntry? Entry, PlayerLoyalty? State, bool Deduplicated, LoyaltyRejection? Rejection,
    PointsHoldView? Hold = null)
{
    /// <summary>The command was refused by a business rule.</summary>
    public static LoyaltyReply Rejected(string code, long? available = null, string? holdStatus = null) =>
        new(null, null, false, new LoyaltyRejection(code, available, holdStatus));
}
