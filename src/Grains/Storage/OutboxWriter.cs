using FurnitureOps.Grains.Storage.Tables;

namespace FurnitureOps.Grains.Storage;

/// <summary>
/// Appends an outbox event outside a ledger transaction, for saga steps, with the same insert the commit
/// pipeline uses (<see cref="OutboxRows"/>): the event id is derived from a stable name, so retrying the step
/// inserts the event once.
/// </summary>
public sealed class OutboxWriter(PostgresStorage storage)
{
    /// <summary>A deterministic event id for a stable name (e.g. "rating_slip.completed:tenant/slip").</summary>
    public static Guid EventId(string stableName) => OutboxRows.StableEventId(stableName);

    /// <summary>Inserts the event unless its id is already there; retried on transient failures (safe: idempotent).</summary>
    public async Task AppendOnceAsync(Guid eventId, string tenantId, string eventType, string aggregateType, string aggregateId,
        long aggregateVersion, object payload, DateTimeOffset occurredAt, string requestId, CancellationToken cancellationToken) =>
        await storage.Reads.ExecuteAsync(async token =>
        {
            var rows = OutboxRows.NewSet();
            OutboxRows.Add(rows, new OutboxRow(eventId, tenantId, eventType, aggregateType, aggregateId, aggregateVersion,
                LedgerJson.SerializeObject(payload), occurredAt, requestId));
            await using var batch = storage.DataSource.CreateBatch();
            batch.BatchCommands.Add(OutboxRows.Insert(rows));
            await batch.ExecuteNonQueryAsync(token);
        }, cancellationToken);
}
