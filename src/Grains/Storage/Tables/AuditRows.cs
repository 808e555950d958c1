using static FurnitureOps.Grains.Storage.Tables.TableColumn;

namespace FurnitureOps.Grains.Storage.Tables;

/// <summary>One immutable <c>audit_log</c> row: who did what to which entity, with its state before and after (JSON).</summary>
public sealed record AuditRow(
    string TenantId, DateTimeOffset RecordedAt, string Actor, string Action, string EntityType, string EntityId,
    string? Before, string? After, string RequestId);

/// <summary>The <c>audit_log</c> insert, set-based.</summary>
public static class AuditRows
{
    public static readonly IReadOnlyList<TableColumn> Columns =
    [
        Text("tenant_id"), Timestamp("recorded_at"), Text("actor"), Text("action"), Text("entity_type"), Text("entity_id"),
        Jsonb("before"), Jsonb("after"), Text("request_id"),
    ];

    private static readonly string InsertSql = $"""
        INSERT INTO audit_log ({string.Join(", ", Columns.Select(column => column.Name))})
        SELECT * FROM {RowSet.Unnest(Columns, "r")}
        """;

    public static RowSet NewSet() => new(Columns);

    public static void Add(RowSet rows, AuditRow row) =>
        rows.Add(row.TenantId, row.RecordedAt, row.Actor, row.Action, row.EntityType, row.EntityId, row.Before, row.After, row.RequestId);

    public static Npgsql.NpgsqlBatchCommand Insert(RowSet rows) => rows.Statement(InsertSql);
}
