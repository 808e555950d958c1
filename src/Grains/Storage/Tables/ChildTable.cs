namespace FurnitureOps.Grains.Storage.Tables;

/// <summary>
/// Rows an entity owns besides its state row, keyed (<c>tenant_id</c>, <see cref="KeyColumn"/>) and written by
/// the entity's effects in the same transaction (a SKU's reservations). A write upserts each child row it
/// changed, with its final values: new rows are inserted, and an existing row is updated only where
/// <paramref name="updatableWhere"/> holds for it (a reservation only while it is held). A row that is neither
/// is not returned, and the write is refused like any other write that found another writer's rows.
/// </summary>
/// <param name="table">The table, e.g. <c>inventory_reservations</c>.</param>
/// <param name="keyColumn">The child's own key after <c>tenant_id</c>, e.g. <c>reservation_id</c>.</param>
/// <param name="ownerColumn">The owning entity's key column in the child table, e.g. <c>sku</c>.</param>
/// <param name="columns">Every column in row order: <c>tenant_id</c>, the key, the owner, then the rest.</param>
/// <param name="updatedColumns">The columns an update may change.</param>
/// <param name="updatableWhere">SQL over the existing row (as <c>t</c>): whether it may still change.</param>
public sealed class ChildTable(
    string table,
    string keyColumn,
    string ownerColumn,
    IReadOnlyList<TableColumn> columns,
    IReadOnlyList<string> updatedColumns,
    string updatableWhere)
{
    public string KeyColumn { get; } = keyColumn;

    public IReadOnlyList<TableColumn> Columns { get; } = columns;

    /// <summary>The statement for a transaction's child rows of this kind; it returns (tenant, owner) of each row written.</summary>
    public string UpsertSql { get; } = $"""
        INSERT INTO {table} AS t ({string.Join(", ", columns.Select(column => column.Name))})
        SELECT * FROM {RowSet.Unnest(columns, "r")}
        ON CONFLICT (tenant_id, {keyColumn}) DO UPDATE
        SET {string.Join(", ", updatedColumns.Select(column => $"{column} = excluded.{column}"))}
        WHERE {updatableWhere}
        RETURNING t.tenant_id, t.{ownerColumn}
        """;
}
