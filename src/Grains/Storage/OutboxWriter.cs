using System.Security.Cryptography;
using System.Text;
using NpgsqlTypes;

namespace FurnitureOps.Grains.Storage;

/// <summary>
/// Appends an outbox event outside a ledger transaction, for saga steps: the event id is derived from a
/// stable name, so retrying the step inserts the event once.
/// </summary>
public sealed class OutboxWriter(PostgresStorage storage)
{
    /// <summary>A deterministic event id for a stable name (e.g. "rating_slip.completed:tenant/slip").</summary>
    public static Guid EventId(string stableName) => new(SHA256.HashData(Encoding.UTF8.GetBytes(stableName)).AsSpan(0, 16));

    /// <summary>Inserts the event unless its id is already there; retried on transient failures (safe: idempotent).</summary>
    public async Task AppendOnceAsync(Guid eventId, string tenantId, string eventType, string aggregateType, string aggregateId,
        long aggregateVersion, object payload, DateTimeOffset occurredAt, string requestId, CancellationToken cancellationToken) =>
        await storage.Reads.ExecuteAsync(async token =>
        {
            await using var command = storage.DataSource.CreateCommand(
            """
            INSERT INTO outbox (event_id, tenant_id, event_type, aggregate_type, aggregate_id, aggregate_version, payload, occurred_at, request_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (event_id) DO NOTHING
            """);
            command.Parameters.Add(new() { Value = eventId });
            command.Parameters.Add(new() { Value = tenantId });
            command.Parameters.Add(new() { Value = eventType });
            command.Parameters.Add(new() { Value = aggregateType });
            command.Parameters.Add(new() { Value = aggregateId });
            command.Parameters.Add(new() { Value = aggregateVersion });
            command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = LedgerJson.SerializeObject(payload) });
            command.Parameters.Add(new() { Value = occurredAt });
            command.Parameters.Add(new() { Value = requestId });
            await command.ExecuteNonQueryAsync(token);
        }, cancellationToken);
}
