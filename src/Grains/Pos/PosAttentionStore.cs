using FurnitureOps.Grains.Interfaces.Pos;
using FurnitureOps.Grains.Storage;
using FurnitureOps.Grains.Storage.Tables;

namespace FurnitureOps.Grains.Pos;

/// <summary>
/// <c>pos_events_needing_attention</c>: a row when a POS event ends needing an operator, its resolution, and
/// the operators' list. Every write is idempotent, so the read pipeline's retries (and a saga that re-runs its
/// last step after a crash) are safe.
/// </summary>
public sealed class PosAttentionStore(PostgresStorage storage)
{
    public async Task RaiseAsync(string tenantId, Guid eventId, string source, string reason, string requestId, DateTimeOffset raisedAt) =>
        await storage.Reads.ExecuteAsync(async token =>
        {
            await using var command = storage.DataSource.Command(
                """
                INSERT INTO pos_events_needing_attention (tenant_id, event_id, source, reason, request_id, raised_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (tenant_id, event_id) DO NOTHING
                """, tenantId, eventId, source, reason, requestId, raisedAt);
            await command.ExecuteNonQueryAsync(token);
        }, CancellationToken.None);

    /// <summary>
    /// Marks the event resolved and, only if this call did (a retry finds it resolved already), writes its audit
    /// row and event, all in one transaction.
    /// </summary>
    public async Task ResolveAsync(string tenantId, Guid eventId, PosResolution resolution, AuditRow audit, OutboxRow resolved) =>
        await storage.Reads.ExecuteAsync(async token =>
        {
            await using var connection = await storage.DataSource.OpenConnectionAsync(token);
            await using var transaction = await connection.BeginTransactionAsync(token);
            await using var mark = connection.Command(
                """
                UPDATE pos_events_needing_attention SET resolved_at = $3, resolved_by = $4, resolution = $5
                WHERE tenant_id = $1 AND event_id = $2 AND resolved_at IS NULL
                """, tenantId, eventId, resolution.ResolvedAt, resolution.ResolvedBy, resolution.Note);
            mark.Transaction = transaction;
            if (await mark.ExecuteNonQueryAsync(token) == 1)
            {
                var (audits, events) = (AuditRows.NewSet(), OutboxRows.NewSet());
                AuditRows.Add(audits, audit);
                OutboxRows.Add(events, resolved);
                await using var batch = new Npgsql.NpgsqlBatch(connection, transaction);
                batch.BatchCommands.Add(AuditRows.Insert(audits));
                batch.BatchCommands.Add(OutboxRows.Insert(events));
                await batch.ExecuteNonQueryAsync(token);
            }

            await transaction.CommitAsync(token);
        }, CancellationToken.None);

    public async Task<IReadOnlyList<PosAttentionItem>> ListAsync(string tenantId, int limit) =>
        await storage.Reads.ExecuteAsync(async token =>
        {
            await using var command = storage.DataSource.Command(
                """
                SELECT event_id, source, reason, raised_at, request_id
                FROM pos_events_needing_attention
                WHERE tenant_id = $1 AND resolved_at IS NULL
                ORDER BY raised_at, event_id
                LIMIT $2
                """, tenantId, limit);
            var items = new List<PosAttentionItem>();
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                items.Add(new PosAttentionItem(reader.GetGuid(0), reader.GetString(1), reader.GetString(2),
                    reader.GetFieldValue<DateTimeOffset>(3), reader.GetString(4)));
            }

            return (IReadOnlyList<PosAttentionItem>)items;
        }, CancellationToken.None);
}
