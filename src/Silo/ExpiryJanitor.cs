using FurnitureOps.Grains;
using FurnitureOps.Grains.Ledger;
using FurnitureOps.Grains.Sagas;
using FurnitureOps.Silo.Events;
using FurnitureOps.Silo.Sagas;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FurnitureOps.Silo;

/// <summary>
/// Deletes expired rows in small batches: idempotency records (grains already ignore expired keys), used
/// request signatures (past their window a replay is refused by the timestamp check anyway), and finished event
/// deliveries and consumers' <c>processed_events</c> records older than <c>Events:DeliveredRetention</c> (a
/// delivery can only be made again while its row exists, so a record older than the rows is never needed),
/// and sagas finished for good longer than <c>Sagas:FinishedRetention</c> ago (<see cref="SagaKinds"/>).
/// Keeps these tables from growing without bound; every delete reads through an index (migration 0008). Safe on
/// every silo at once: rows locked by another janitor are skipped.
/// </summary>
public sealed partial class ExpiryJanitor(
    NpgsqlDataSource dataSource,
    GrainClock clock,
    IOptions<EventDeliveryOptions> events,
    IOptions<SagaOptions> sagas,
    ILogger<ExpiryJanitor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);
    private const int BatchSize = 1000;

    /// <summary>Deletes every row expired at the ledger clock's now; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = clock.Time.GetUtcNow();
        var total = await PurgeInBatchesAsync(Expired("idempotency_records"), now, cancellationToken);
        total += await PurgeInBatchesAsync(Expired("used_signatures"), now, cancellationToken);
        total += await PurgeInBatchesAsync(FinishedDeliveries, now - events.Value.DeliveredRetention, cancellationToken);
        total += await PurgeInBatchesAsync(ProcessedEvents, now - events.Value.DeliveredRetention, cancellationToken);
        foreach (var kind in SagaKinds.All)
        {
            total += await PurgeInBatchesAsync(kind.Table.PurgeFinishedSql, now - sagas.Value.FinishedRetention, cancellationToken);
        }

        return total;
    }

    /// <summary>Finished deliveries are bookkeeping: the outbox keeps every event.</summary>
    public const string FinishedDeliveries = """
        DELETE FROM event_deliveries
        WHERE id IN (SELECT id FROM event_deliveries
                     WHERE status IN ('delivered', 'cancelled') AND created_at <= $1
                     LIMIT $2 FOR UPDATE SKIP LOCKED)
        """;

    public const string ProcessedEvents = """
        DELETE FROM processed_events
        WHERE ctid IN (SELECT ctid FROM processed_events WHERE processed_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
        """;

    private static string Expired(string table) =>
        $"DELETE FROM {table} WHERE ctid IN (SELECT ctid FROM {table} WHERE expires_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)";

    private async Task<int> PurgeInBatchesAsync(string sql, DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var total = 0;
        int deleted;
        do
        {
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.Add(new() { Value = olderThan });
            command.Parameters.Add(new() { Value = BatchSize });
            deleted = await command.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
        }
        while (deleted == BatchSize);

        return total;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PurgeOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down; the next silo to run picks up where this one stopped.
        }
    }

    private async Task PurgeOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            var deleted = await PurgeExpiredAsync(stoppingToken);
            LogPurged(logger, deleted);
        }
        catch (NpgsqlException error)
        {
            LogPurgeFailed(logger, error);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted {Deleted} expired idempotency records, used signatures, finished deliveries, processed-event records and finished sagas")]
    private static partial void LogPurged(ILogger logger, int deleted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired rows failed; will try again")]
    private static partial void LogPurgeFailed(ILogger logger, Exception error);
}
