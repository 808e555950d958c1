using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Silo.Sagas;

/// <summary>The sagas' sweeper (configuration section <c>Sagas</c>).</summary>
public sealed class SagaSweeperOptions
{
    /// <summary>Runs the sweeper on this silo. Every silo may; they coordinate in PostgreSQL (a lease per saga).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the sweeper looks for due sagas when it last found fewer than a batch.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Due sagas claimed per round, per kind.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Claimed sagas resumed at once.</summary>
    [Range(1, 256)]
    public int ResumeConcurrency { get; set; } = 8;

    /// <summary>
    /// How long a claimed saga is reserved for the silo that claimed it: if that silo dies mid-resume, another
    /// claims it after this. A resume that ends (applied, or failed and rescheduled) replaces the lease with the
    /// saga's own next attempt time.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);
}
