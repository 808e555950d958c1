using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Grains.Pos;

/// <summary>POS intake settings of the silo (configuration section <c>Pos</c>).</summary>
public sealed class PosOptions
{
    /// <summary>Loyalty points per currency unit of a sale's amount: floor(amount × rate).</summary>
    [Range(0.0, 1_000.0)]
    public decimal PointsPerCurrencyUnit { get; set; } = 1m;

    /// <summary>
    /// POS events this silo may hold unfinished (being applied or waiting for a retry). Past it, intake answers
    /// 503 <c>overloaded</c>: nothing is accepted that cannot be processed.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxPendingEvents { get; set; } = 2_000;

    /// <summary>Unpublished outbox rows past which intake answers 503 <c>overloaded</c> (delivery is falling behind).</summary>
    [Range(1, 100_000_000)]
    public long MaxOutboxDepth { get; set; } = 100_000;

    /// <summary>
    /// Deliveries due now (all subscribers, cluster-wide) past which intake answers 503 <c>overloaded</c>: the
    /// dispatchers are behind. A delivery waiting out a failing receiver's backoff is not due, so one broken
    /// webhook does not stop intake.
    /// </summary>
    [Range(1, 100_000_000)]
    public long MaxDueDeliveries { get; set; } = 100_000;

    /// <summary>
    /// The first wait before the sagas' sweeper retries a failed saga (later waits double, up to
    /// <see cref="MaxRetryBackoff"/>), and how long an accepted event may run before the sweeper takes it over
    /// (its silo died mid-saga).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan RetryPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest wait between retries of a failing step; retries never stop (each is idempotent).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxRetryBackoff { get; set; } = TimeSpan.FromMinutes(15);
}
