using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Silo;

/// <summary>
/// What a holds' expiry sweeper (<see cref="HoldExpirySweeper{TOptions}"/>) is configured with: <c>Enabled</c>,
/// <c>SweepInterval</c> (1 s), <c>BatchSize</c> (100 owners with due holds per round) and <c>ExpireConcurrency</c>.
/// The sweepers of different silos need not coordinate: an expiry is an effect under its own key, so a second
/// sweeper's call changes nothing.
/// </summary>
public abstract class HoldSweeperOptions : SweeperOptions
{
    /// <summary>Owning grains (SKUs, players) asked to expire their due holds at once.</summary>
    [Range(1, 256)]
    public int ExpireConcurrency { get; set; } = 8;
}
