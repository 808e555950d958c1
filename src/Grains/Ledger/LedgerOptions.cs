using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Grains.Ledger;

/// <summary>Settings of the ledger write path (configuration sections <c>Idempotency</c> and <c>Ledger</c>).</summary>
public sealed class LedgerOptions
{
    /// <summary>How long a reply is kept under its idempotency key. After that the key is new again.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan IdempotencyRetention { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Upper bound on commands per flush, so one transaction stays small under a flood.</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>
    /// Idempotency records one activation keeps in memory, the most recent ones. A resend of an older key is
    /// still answered exactly (its record is read from the database then), so this bounds memory, not correctness.
    /// </summary>
    [Range(1, 1_000_000)]
    public int RecentReplies { get; set; } = 1_000;

    /// <summary>Commands one entity may have waiting; more are refused at once (503 <c>overloaded</c>) rather than queued.</summary>
    [Range(1, 1_000_000)]
    public int MaxQueueLength { get; set; } = 10_000;
}
