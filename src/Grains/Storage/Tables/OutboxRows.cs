using System.Security.Cryptography;
using System.Text;
using static FurnitureOps.Grains.Storage.Tables.TableColumn;

namespace FurnitureOps.Grains.Storage.Tables;

/// <summary>One <c>outbox</c> event: a versioned type, the aggregate it is about, and its JSON payload.</summary>
public sealed record OutboxRow(
    Guid EventId, string TenantId, string EventType, string AggregateType, string AggregateId, long AggregateVersion,
    string Payload, DateTimeOffset OccurredAt, string RequestId);

/// <summary>
/// The one outbox insert, set-based: the commit pipeline writes every transaction's events with it (ledger
/// effects' and sagas' alike), and the operator's resolution of a POS event its own. An event id that is already
/// there is skipped, so a saga that derives its id from a stable name (<see cref="StableEventId"/>) appends its
/// event once however often it runs.
/// </summary>
public static class OutboxRows
{
    public static readonly IReadOnlyList<TableColumn> Columns =
    [
        Uuid("event_id"), Text("tenant_id"), Text("event_type"), Text("aggregate_type"), Text("aggregate_id"),
        Bigint("aggregate_version"), Jsonb("payload"), Timestamp("occurred_at"), Text("request_id"),
    ];

    private static readonly string InsertSql = $"""
        INSERT INTO outbox ({string.Join(", ", Columns.Select(column => column.Name))})
        SELECT * FROM {RowSet.Unnest(Columns, "r")}
        ON CONFLICT (event_id) DO NOTHING
        """;

    /// <summary>A deterministic event id for a stable name (e.g. "rating_slip.completed:tenant/slip").</summary>
    public static Guid StableEventId(string stableName) => new(SHA256.HashData(Encoding.UTF8.GetBytes(stableName)).AsSpan(0, 16));

    public static RowSet NewSet() => new(Columns);

    public static void Add(RowSet rows, OutboxRow row) =>
        rows.Add(row.EventId, row.TenantId, row.EventType, row.AggregateType, row.AggregateId, row.AggregateVersion,
            row.Payload, row.OccurredAt, row.RequestId);

    public static Npgsql.NpgsqlBatchCommand Insert(RowSet rows) => rows.Statement(InsertSql);
}
