namespace FurnitureOps.Grains.Interfaces.Loyalty;

/// <summary>A change to one player's loyalty balance. Each accepted kind becomes one ledger row.</summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-command")]
public abstract record LoyaltyCommand;

/// <summary>
/// Points earned from a source (a rating slip, a POS sale). The business key is <c>{SourceType}:{SourceId}</c>:
/// one source accrues once, whatever idempotency key a retry carries.
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-command.accrue")]
public sealed record AccruePoints(long Points, string SourceType, string SourceId) : LoyaltyCommand;

/// <summary>
/// A manual reward by the acting staff member. The same reward (player, staff, points, reason) on the same UTC
/// day is one entry.
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-command.reward")]
public sealed record AwardPoints(long Points, string Reason) : LoyaltyCommand;

/// <summary>Points spent; refused beyond what is available (the balance less the points held).</summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-command.redeem")]
public sealed record RedeemPoints(long Points, string Reference) : LoyaltyCommand;

/// <summary>
/// Points taken back because their source was reversed (a POS return). Takes at most what is available (the
/// balance less the points held) — points already spent or promised to a hold are not clawed back — and never
/// lowers lifetime points. The business key is
/// <c>{SourceType}:{SourceId}</c>, as for an accrual.
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-command.reverse")]
public sealed record ReversePoints(long Points, string SourceType, string SourceId) : LoyaltyCommand;

/// <summary>
/// Holds <paramref name="Points"/> of the available points (balance less held) until <paramref name="ExpiresAt"/>:
/// a redemption can no longer take them. The caller names the hold (a new id for a new hold; a resend under
/// the same idempotency key replays the first answer, whatever id it carried).
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-command.hold")]
public sealed record HoldPoints(Guid HoldId, long Points, DateTimeOffset ExpiresAt, string? Reference) : LoyaltyCommand;

/// <summary>Redeems a held hold: all of it, or <paramref name="Points"/> of it and releases the rest.</summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-command.commit-hold")]
public sealed record CommitPointsHold(Guid HoldId, long? Points) : LoyaltyCommand;

/// <summary>Gives a held hold's points back to what is available.</summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-command.release-hold")]
public sealed record ReleasePointsHold(Guid HoldId) : LoyaltyCommand;

/// <summary>The system's release of a held hold whose time is up (sent by the player grain itself).</summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-command.expire-hold")]
public sealed record ExpirePointsHold(Guid HoldId) : LoyaltyCommand;
