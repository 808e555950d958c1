using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Grains.Ledger.Commit;

/// <summary>How much one shared transaction of the commit pipeline may carry (configuration section <c>Ledger:Commit</c>).</summary>
public sealed class CommitOptions
{
    /// <summary>Grain flushes per transaction at most; the rest wait for the next one.</summary>
    [Range(1, 10_000)]
    public int MaxWritesPerTransaction { get; set; } = 256;

    /// <summary>
    /// Rows per transaction at most (state, ledger, audit, outbox and idempotency rows together), so one
    /// transaction stays well inside <c>Storage:CommandTimeout</c>. A single flush larger than this still commits alone.
    /// </summary>
    [Range(10, 1_000_000)]
    public int MaxRowsPerTransaction { get; set; } = 4_000;
}
