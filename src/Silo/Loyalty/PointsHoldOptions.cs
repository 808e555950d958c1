namespace FurnitureOps.Silo.Loyalty;

/// <summary>The points holds' expiry sweeper (configuration section <c>PointsHolds</c>), as every holds' sweeper.</summary>
public sealed class PointsHoldOptions : HoldSweeperOptions;
