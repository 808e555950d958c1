using FurnitureOps.Grains.Interfaces.Audit;
using FurnitureOps.Grains.Storage;
using Orleans.Concurrency;

namespace FurnitureOps.Grains.Audit;

/// <summary>Reads <c>audit_log</c> for one tenant. Stateless, so every silo runs local copies.</summary>
[StatelessWorker]
public sealed class AuditLogGrain(PostgresStorage storage) : Grain, IAuditLogGrain
{
    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query) =>
        await storage.Reads.ExecuteAsync(token => new ValueTask<IReadOnlyList<AuditEntry>>(QueryOnceAsync(query, token)), CancellationToken.None);

    // Never prepared (the storage's data source), so each statement is planned with its values: an absent filter
    // folds away and the planner picks migration 0016's index for the filter that is there (entity id, request id).
    private async Task<IReadOnlyList<AuditEntry>> QueryOnceAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var command = storage.DataSource.CreateCommand(
            """
            SELECT id, recorded_at, actor, action, entity_type, entity_id, before::text, after::text, request_id
            FROM audit_log
            WHERE tenant_id = $1
              AND ($2::text IS NULL OR entity_type = $2)
              AND ($3::text IS NULL OR entity_id = $3)
              AND ($6::text IS NULL OR request_id = $6)
              AND id > $4
            ORDER BY id
            LIMIT $5
            """);
        command.Parameters.Add(new() { Value = query.TenantId });
        command.Parameters.Add(new() { Value = (object?)query.EntityType ?? DBNull.Value });
        command.Parameters.Add(new() { Value = (object?)query.EntityId ?? DBNull.Value });
        command.Parameters.Add(new() { Value = query.AfterId });
        command.Parameters.Add(new() { Value = query.Limit });
        command.Parameters.Add(new() { Value = (object?)query.RequestId ?? DBNull.Value });

        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new AuditEntry(
                reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8)));
        }

        return entries;
    }
}
