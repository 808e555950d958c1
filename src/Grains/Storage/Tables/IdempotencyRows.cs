using FurnitureOps.Grains.Ledger;
using Npgsql;
using static FurnitureOps.Grains.Storage.Tables.TableColumn;

namespace FurnitureOps.Grains.Storage.Tables;

/// <summary>One <c>idempotency_records</c> row: a reply (JSON) kept under (tenant, scope, key) until it expires.</summary>
public sealed record IdempotencyRow(
    string TenantId, string Scope, string Key, string Fingerprint, string Reply, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>Reads and writes <c>idempotency_records</c>, keyed (tenant, scope, key).</summary>
public static class IdempotencyRows
{
    public static readonly IReadOnlyList<TableColumn> Columns =
    [
        Text("tenant_id"), Text("scope"), Text("key"), Text("fingerprint"), Jsonb("reply"), Timestamp("created_at"), Timestamp("expires_at"),
    ];

    // Inserts the records, or takes over the row of an expired one (the key is new again). A live row with
    // the same key is left alone and not returned: the caller refuses the commit of that grain.
    private static readonly string UpsertSql = $"""
        INSERT INTO idempotency_records ({string.Join(", ", Columns.Select(column => column.Name))})
        SELECT * FROM {RowSet.Unnest(Columns, "r")}
        ON CONFLICT (tenant_id, scope, key) DO UPDATE
            SET fingerprint = excluded.fingerprint, reply = excluded.reply,
                created_at = excluded.created_at, expires_at = excluded.expires_at
            WHERE idempotency_records.expires_at <= excluded.created_at
        RETURNING tenant_id, scope, key
        """;

    public static RowSet NewSet() => new(Columns);

    public static void Add(RowSet rows, IdempotencyRow row) =>
        rows.Add(row.TenantId, row.Scope, row.Key, row.Fingerprint, row.Reply, row.CreatedAt, row.ExpiresAt);

    public static NpgsqlBatchCommand Upsert(RowSet rows) => rows.Statement(UpsertSql);

    /// <summary>The records of <paramref name="keys"/> in one scope still live at <paramref name="now"/> (a primary-key lookup each).</summary>
    public static async Task<IReadOnlyList<IdempotencyRecord<TReply>>> LoadLiveAsync<TReply>(
        NpgsqlDataSource dataSource, string tenantId, string scope, IReadOnlyCollection<string> keys, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.Command(
            """
            SELECT key, fingerprint, reply::text, created_at, expires_at
            FROM idempotency_records
            WHERE tenant_id = $1 AND scope = $2 AND key = ANY($3) AND expires_at > $4
            """,
            tenantId, scope, keys.ToArray(), now);

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
}
