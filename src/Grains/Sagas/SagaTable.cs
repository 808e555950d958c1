using FurnitureOps.Grains.Storage.Tables;
using static FurnitureOps.Grains.Storage.Tables.TableColumn;

namespace FurnitureOps.Grains.Sagas;

/// <summary>
/// A kind of saga's table (migration 0012): one row per saga, keyed (<c>tenant_id</c>, <see cref="KeyColumn"/>),
/// with its <c>version</c>, <c>status</c>, the whole state as JSON (<c>saga</c>) and <c>next_attempt_at</c>,
/// which is set while the saga is unfinished and null once it is done. To the commit pipeline it is an entity
/// kind without a ledger; the sweeper claims the rows that are due.
/// </summary>
public sealed class SagaTable
{
    /// <param name="entityType">The kind's name, e.g. <c>pos_event</c>.</param>
    /// <param name="table">The table, e.g. <c>pos_events</c>.</param>
    /// <param name="keyColumn">The key column after <c>tenant_id</c>, e.g. <c>event_id</c>.</param>
    /// <param name="finishedStatuses">The statuses of a saga that is done for good (nothing left to run, no
    /// operator to wait for): rows in them are deleted after the finished-saga retention. Migration 0012's
    /// <c>{table}_finished</c> index has the same list.</param>
    public SagaTable(string entityType, string table, string keyColumn, IReadOnlyList<string> finishedStatuses)
    {
        Name = table;
        KeyColumn = keyColumn;
        Tables = new EntityTables(entityType, table, keyColumn,
            [Text("status"), Jsonb("saga"), NullableTimestamp("next_attempt_at"), Timestamp("updated_at")], ledgerTable: null, []);
        SelectSql = $"SELECT version, saga FROM {table} WHERE tenant_id = $1 AND {keyColumn} = $2";

        // Due rows are leased, not locked for the resume: the lease moves next_attempt_at past now (without a
        // new version, so the grain's own write is not refused), and a sweeper that dies mid-resume leaves the
        // row due again when the lease ends. SKIP LOCKED keeps the silos' sweepers off each other's rows.
        ClaimDueSql = $"""
            UPDATE {table} AS t SET next_attempt_at = $2
            FROM (
                SELECT tenant_id, {keyColumn} FROM {table}
                WHERE next_attempt_at <= $1
                ORDER BY next_attempt_at
                LIMIT $3
                FOR UPDATE SKIP LOCKED) AS due
            WHERE t.tenant_id = due.tenant_id AND t.{keyColumn} = due.{keyColumn}
            RETURNING t.tenant_id, t.{keyColumn}
            """;

        // The statuses are this code's constants, not input; written out, the predicate matches the partial index.
        var finished = string.Join(", ", finishedStatuses.Select(status => $"'{status}'"));
        PurgeFinishedSql = $"""
            DELETE FROM {table}
            WHERE ctid IN (SELECT ctid FROM {table} WHERE status IN ({finished}) AND updated_at <= $1 LIMIT $2 FOR UPDATE SKIP LOCKED)
            """;
    }

    /// <summary>The table's name, e.g. <c>pos_events</c>.</summary>
    public string Name { get; }

    public string KeyColumn { get; }

    /// <summary>The row as the commit pipeline writes it: status, saga, next_attempt_at, updated_at.</summary>
    public EntityTables Tables { get; }

    /// <summary>$1 tenant, $2 key: version and saga of one row.</summary>
    public string SelectSql { get; }

    /// <summary>$1 now, $2 the lease's end, $3 the most rows: leases due rows and returns their (tenant, key).</summary>
    public string ClaimDueSql { get; }

    /// <summary>$1 finished before, $2 the most rows: deletes finished sagas last written before $1.</summary>
    public string PurgeFinishedSql { get; }
}
