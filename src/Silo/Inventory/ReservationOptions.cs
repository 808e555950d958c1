using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Silo.Inventory;

/// <summary>
/// The reservations' expiry sweeper (configuration section <c>Reservations</c>): <c>Enabled</c>,
/// <c>SweepInterval</c> (1 s), <c>BatchSize</c> (100 SKUs with due reservations per round). The sweepers of
/// different silos need not coordinate: an expiry is an effect under its own key, so a second sweeper's call
/// changes nothing.
/// </summary>
public sealed class ReservationOptions : SweeperOptions
{
    /// <summary>SKU grains asked to expire their due reservations at once.</summary>
    [Range(1, 256)]
    public int ExpireConcurrency { get; set; } = 8;
}
