using static FurnitureOps.Grains.Storage.Tables.TableColumn;

namespace FurnitureOps.Grains.Storage.Tables;

/// <summary>
/// The tables of one kind of ledger entity, as the commit pipeline sees them: a state row keyed
/// (<c>tenant_id</c>, <see cref="KeyColumn"/>) with <c>version</c>, <c>created_at</c> and the entity's own
/// columns (<c>updated_at</c> among them), and a ledger keyed (<c>tenant_id</c>, <see cref="KeyColumn"/>,
/// <c>version</c>). The three set-based statements are built here once per kind. A kind without a ledger
/// (a saga, whose row is its whole record) passes no ledger table, and its writes carry no ledger rows. A
/// kind may also own child rows (<see cref="ChildTable"/>) that its effects create and change.
/// </summary>
public sealed class EntityTables
{
    public EntityTables(string entityType, string stateTable, string keyColumn, IReadOnlyList<TableColumn> stateColumns,
        string? ledgerTable, IReadOnlyList<TableColumn> ledgerColumns, ChildTable? children = null)
    {
        if (!stateColumns.Any(column => column.Name == "updated_at"))
        {
            throw new ArgumentException("The state columns must include updated_at (it is also the row's created_at).", nameof(stateColumns));
        }

        EntityType = entityType;
        KeyColumn = keyColumn;
        Children = children;
        UpdateColumns = [Text("tenant_id"), Text(keyColumn), Bigint("expected_version"), Bigint("version"), .. stateColumns];
        InsertColumns = [Text("tenant_id"), Text(keyColumn), Bigint("version"), .. stateColumns];
        LedgerRowColumns = [Text("tenant_id"), Text(keyColumn), Bigint("version"), .. ledgerColumns];

        var own = string.Join(", ", stateColumns.Select(column => column.Name));

        // The version guard: only rows still at the version the grain holds are updated; the grains whose
        // rows come back passed it.
        UpdateStateSql = $"""
            UPDATE {stateTable} AS t
            SET {string.Join(", ", stateColumns.Select(column => $"{column.Name} = r.{column.Name}"))}, version = r.version
            FROM {RowSet.Unnest(UpdateColumns, "r")}
            WHERE t.tenant_id = r.tenant_id AND t.{keyColumn} = r.{keyColumn} AND t.version = r.expected_version
            RETURNING t.tenant_id, t.{keyColumn}
            """;

        // New entities: a row that appeared meanwhile (another writer created it) is not returned.
        InsertStateSql = $"""
            INSERT INTO {stateTable} (tenant_id, {keyColumn}, version, {own}, created_at)
            SELECT r.tenant_id, r.{keyColumn}, r.version, {string.Join(", ", stateColumns.Select(column => $"r.{column.Name}"))}, r.updated_at
            FROM {RowSet.Unnest(InsertColumns, "r")}
            ON CONFLICT (tenant_id, {keyColumn}) DO NOTHING
            RETURNING tenant_id, {keyColumn}
            """;

        // A ledger row that already exists (its version, or a business key) was written by another writer.
        InsertLedgerSql = ledgerTable is null ? null : $"""
            INSERT INTO {ledgerTable} ({string.Join(", ", LedgerRowColumns.Select(column => column.Name))})
            SELECT * FROM {RowSet.Unnest(LedgerRowColumns, "r")}
            ON CONFLICT DO NOTHING
            RETURNING tenant_id, {keyColumn}
            """;
    }

    /// <summary>The kind's name, e.g. <c>sku</c> or <c>player</c>: the audit entity type and the outbox aggregate type.</summary>
    public string EntityType { get; }

    public string KeyColumn { get; }

    /// <summary>tenant, key, expected version, new version, then the state columns.</summary>
    public IReadOnlyList<TableColumn> UpdateColumns { get; }

    /// <summary>tenant, key, version, then the state columns.</summary>
    public IReadOnlyList<TableColumn> InsertColumns { get; }

    /// <summary>tenant, key, version, then the ledger columns.</summary>
    public IReadOnlyList<TableColumn> LedgerRowColumns { get; }

    public string UpdateStateSql { get; }

    public string InsertStateSql { get; }

    /// <summary>Null for a kind without a ledger.</summary>
    public string? InsertLedgerSql { get; }

    /// <summary>Rows an entity owns besides its state row (a SKU's reservations); null for most kinds.</summary>
    public ChildTable? Children { get; }
}
