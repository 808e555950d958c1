using FurnitureOps.Grains.Ledger;
using Npgsql;
using NpgsqlTypes;

namespace FurnitureOps.Grains.Storage;

/// <summary>Reads and writes <c>idempotency_records</c>, keyed (tenant, scope, key).</summary>
internal static class IdempotencyRows
{
    public static async Task<IReadOnlyList<IdempotencyRecord<TReply>>> LoadLiveAsync<TReply>(
        NpgsqlConnection connection, string tenantId, string scope, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT key, fingerprint, reply::text, created_at, expires_at
            FROM idempotency_records
            WHERE tenant_id = $1 AND scope = $2 AND expires_at > $3
            """, connection);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = scope });
        command.Parameters.Add(new() { Value = now });

        var records = new List<IdempotencyRecord<TReply>>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(new IdempotencyRecord<TReply>(
                reader.GetString(0),
                reader.GetString(1),
                LedgerJson.Deserialize<TReply>(reader.GetString(2)),
                reader.GetFieldValue<DateTimeOffset>(3),
                reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return records;
    }

    /// <summary>
    /// Inserts a record, or takes over the row of an expired one (the key is new again). A live row with the
    /// same key matches nothing, so the statement affects 0 rows and the commit is refused.
    /// </summary>
    public static NpgsqlBatchCommand AddUpsert<TReply>(NpgsqlBatch batch, string tenantId, string scope, IdempotencyRecord<TReply> record)
    {
        var command = new NpgsqlBatchCommand(
            """
            INSERT INTO idempotency_records (tenant_id, scope, key, fingerprint, reply, created_at, expires_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (tenant_id, scope, key) DO UPDATE
                SET fingerprint = excluded.fingerprint, reply = excluded.reply,
                    created_at = excluded.created_at, expires_at = excluded.expires_at
                WHERE idempotency_records.expires_at <= excluded.created_at
            """);
        command.Parameters.Add(new() { Value = tenantId });
        command.Parameters.Add(new() { Value = scope });
        command.Parameters.Add(new() { Value = record.Key });
        command.Parameters.Add(new() { Value = record.Fingerprint });
        command.Parameters.Add(new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = LedgerJson.Serialize(record.Reply) });
        command.Parameters.Add(new() { Value = record.CreatedAt });
        command.Parameters.Add(new() { Value = record.ExpiresAt });
        batch.BatchCommands.Add(command);
        return command;
    }
}
