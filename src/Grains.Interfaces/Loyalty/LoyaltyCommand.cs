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

/// <summary>Points spent; refused if the balance would go negative.</summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-command.redeem")]
public sealed record RedeemPoints(long Points, string Reference) : LoyaltyCommand;

/// <summary>
/// Points taken back because their source was reversed (a POS return). Takes at most the balance — points
/// already spent are not clawed back below zero — and never lowers lifetime points. The business key is
/// <c>{SourceType}:{SourceId}</c>, as for an accrual.
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-command.reverse")]
public sealed record ReversePoints(long Points, string SourceType, string SourceId) : LoyaltyCommand;
