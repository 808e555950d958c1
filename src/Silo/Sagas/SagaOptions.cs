using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Silo.Sagas;

/// <summary>The sagas' sweeper and the retention of finished sagas (configuration section <c>Sagas</c>).</summary>
public sealed class SagaOptions : SweeperOptions
{
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

    /// <summary>
    /// How long a finished saga's row is kept (a POS event applied, rejected or resolved; a slip accrued) before
    /// the janitor deletes it. While it is kept, a repeated delivery of the event answers 204 and the event and
    /// slip can be read; after it, a repeated delivery is accepted again as new, and its steps replay their
    /// lasting keys (nothing applies twice). Sagas waiting for an operator (needs attention, accrual stalled)
    /// and open slips are never deleted.
    /// </summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan FinishedRetention { get; set; } = TimeSpan.FromDays(30);
}
