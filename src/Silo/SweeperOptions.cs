using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Silo;

/// <summary>What every silo-level sweeper (sagas, the expiry of reservations and points holds) is configured with.</summary>
public abstract class SweeperOptions
{
    /// <summary>Runs the sweeper on this silo. Every silo may: they coordinate in PostgreSQL, or need not.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the sweeper looks for due work when it last found fewer than a batch.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Due items taken per round (per kind, for the sagas).</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;
}
