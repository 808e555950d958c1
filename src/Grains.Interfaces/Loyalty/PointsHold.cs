namespace FurnitureOps.Grains.Interfaces.Loyalty;

/// <summary>The statuses of a points hold: held until it is committed, released or expired, once.</summary>
public static class PointsHoldStatus
{
    /// <summary>The points are held: not available to redemptions, reversals or other holds.</summary>
    public const string Held = "held";
    /// <summary>Redeemed (all of it, or part and the rest released).</summary>
    public const string Committed = "committed";
    /// <summary>Given back by its holder.</summary>
    public const string Released = "released";
    /// <summary>Given back by the system when its time was up.</summary>
    public const string Expired = "expired";
}

/// <summary>One points hold of a player. <see cref="CommittedPoints"/> is what its commit redeemed.</summary>
[GenerateSerializer, Immutable, Alias("fo.loyalty-points-hold")]
public sealed record PointsHoldView(
    Guid HoldId,
    string PlayerId,
    long Points,
    string Status,
    long? CommittedPoints,
    string? Reference,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt);
