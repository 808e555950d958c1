using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FurnitureOps.Grains.Ledger.Commit;

/// <summary>
/// The commit pipeline's instruments, on the write path's meter: transactions by outcome, grain writes per
/// transaction, transaction time, and the writes waiting in the lanes; and the span of each shared transaction.
/// </summary>
public static class CommitMetrics
{
    /// <summary>Traces of the commit pipeline: one <c>ledger.commit</c> span per shared transaction.</summary>
    public static readonly ActivitySource Source = new(LedgerMetrics.MeterName);

    private static Meter Meter => LedgerMetrics.Meter;

    private static readonly Counter<long> Transactions = Meter.CreateCounter<long>(
        "ledger_commit_transactions", description: "Shared transactions of the commit pipeline, by outcome (committed, retried: rolled back to commit without a conflicting grain, failed).");

    private static readonly Histogram<int> WritesPerTransaction = Meter.CreateHistogram<int>(
        "ledger_commit_grains_per_transaction", unit: "{grain}", description: "Grain flushes one shared transaction carried.",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128, 256] });

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "ledger_commit_duration", unit: "s", description: "Time to run and commit one shared transaction.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private static Func<int>? _queued;

    static CommitMetrics() =>
        Meter.CreateObservableGauge("ledger_commit_lane_queue", () => _queued?.Invoke() ?? 0, unit: "{grain}",
            description: "Grain flushes waiting for a transaction, all lanes of this silo together.");

    /// <summary>Where the lane queue gauge reads from (the silo's one pipeline).</summary>
    internal static void Observe(Func<int> queued) => _queued = queued;

    internal static void Transaction(int writes, bool committed, TimeSpan duration)
    {
        Transactions.Add(1, new KeyValuePair<string, object?>("outcome", committed ? "committed" : "retried"));
        WritesPerTransaction.Record(writes);
        Duration.Record(duration.TotalSeconds);
    }

    internal static void TransactionFailed(int writes)
    {
        Transactions.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
        WritesPerTransaction.Record(writes);
    }
}
