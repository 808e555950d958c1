using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FurnitureOps.Grains.Ledger;

/// <summary>
/// The write path's instruments, on one process-wide meter (created once however many hosts a process builds):
/// replays and key conflicts by tenant and operation, flush batch sizes and transaction durations, storage failures.
/// </summary>
public static class LedgerMetrics
{
    public const string MeterName = "FurnitureOps.Ledger";

    /// <summary>The write path's one meter; the commit pipeline's instruments are on it too.</summary>
    internal static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Replays = Meter.CreateCounter<long>(
        "idempotent_replays", description: "Requests answered from a stored reply under their Idempotency-Key.");

    private static readonly Counter<long> Conflicts = Meter.CreateCounter<long>(
        "idempotency_conflicts", description: "Requests refused because their Idempotency-Key was used with another request.");

    private static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>(
        "ledger_flush_batch_size", unit: "{command}", description: "Commands taken by one flush (one transaction).",
        advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500] });

    private static readonly Histogram<double> FlushDuration = Meter.CreateHistogram<double>(
        "ledger_flush_duration", unit: "s", description: "Time to commit one flush's transaction.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private static readonly Counter<long> RecordReads = Meter.CreateCounter<long>(
        "idempotency_records_read", description: "Live records read from the database because their key was resent after memory had let it go.");

    private static readonly Counter<long> StorageFailures = Meter.CreateCounter<long>(
        "ledger_storage_failures", description: "Flushes whose transaction did not commit (nothing applied; callers told to retry).");

    public static void Replayed(string tenant, string operation) => Replays.Add(1, Tags(tenant, operation));

    public static void KeyReused(string tenant, string operation) => Conflicts.Add(1, Tags(tenant, operation));

    public static void Flushed(string entity, int commands, TimeSpan transaction)
    {
        BatchSize.Record(commands, new KeyValuePair<string, object?>("entity", entity));
        FlushDuration.Record(transaction.TotalSeconds, new KeyValuePair<string, object?>("entity", entity));
    }

    public static void RecordsRead(string entity, int records) =>
        RecordReads.Add(records, new KeyValuePair<string, object?>("entity", entity));

    public static void StorageFailed(string entity) => StorageFailures.Add(1, new KeyValuePair<string, object?>("entity", entity));

    private static TagList Tags(string tenant, string operation) => new() { { "tenant", tenant }, { "operation", operation } };
}
