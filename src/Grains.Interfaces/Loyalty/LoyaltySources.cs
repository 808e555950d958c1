namespace FurnitureOps.Grains.Interfaces.Loyalty;

/// <summary>
/// The accrual source types FurnitureOps' own sagas use. Their business keys (<c>{sourceType}:{sourceId}</c>)
/// belong to the system: the API refuses them from clients, so no caller can take a slip's or a POS event's key
/// first.
/// </summary>
public static class LoyaltySources
{
    /// <summary>A POS sale's accrual; the source id is the POS event's id.</summary>
    public const string Pos = "pos";

    /// <summary>A POS return's reversal; the source id is the POS event's id.</summary>
    public const string PosReturn = "pos_return";

    /// <summary>A completed rating slip's accrual; the source id is the slip's id.</summary>
    public const string RatingSlip = "rating_slip";

    /// <summary>Reserved whatever their case, so <c>POS</c> cannot pass for a system source in a report either.</summary>
    public static bool IsReserved(string sourceType) =>
        sourceType.Equals(Pos, StringComparison.OrdinalIgnoreCase)
        || sourceType.Equals(PosReturn, StringComparison.OrdinalIgnoreCase)
        || sourceType.Equals(RatingSlip, StringComparison.OrdinalIgnoreCase);
}
