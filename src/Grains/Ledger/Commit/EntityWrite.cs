using FurnitureOps.Grains.Storage.Tables;

namespace FurnitureOps.Grains.Ledger.Commit;

/// <summary>
/// Everything one grain's flush writes, as rows: the commit pipeline needs no entity types, only the kind's
/// <see cref="EntityTables"/>. <see cref="CommittedVersion"/> is the version the grain holds (0: the entity is
/// new); the state row is written only if the database still holds it. <c>FinalState</c> holds the state
/// row's own columns after the flush (<see cref="EntityTables.InsertColumns"/> after the version);
/// <c>LedgerRows</c> one row per effect in <see cref="EntityTables.LedgerRowColumns"/> order (tenant, key and
/// version first). <c>ChildRows</c> are the final values of the child rows the flush changed
/// (<see cref="EntityTables.Children"/>, one per child key), in <see cref="ChildTable.Columns"/> order.
/// </summary>
public sealed record EntityWrite(
    EntityTables Tables,
    string TenantId,
    string EntityId,
    long CommittedVersion,
    long FinalVersion,
    object?[] FinalState,
    IReadOnlyList<object?[]> LedgerRows,
    IReadOnlyList<AuditRow> AuditRows,
    IReadOnlyList<OutboxRow> OutboxRows,
    IReadOnlyList<IdempotencyRow> Records,
    IReadOnlyList<object?[]>? ChildRows = null)
{
    public IReadOnlyList<object?[]> Children => ChildRows ?? [];

    /// <summary>Rows this write adds to a transaction (to bound how much one transaction carries).</summary>
    public int RowCount => 1 + LedgerRows.Count + AuditRows.Count + OutboxRows.Count + Records.Count + Children.Count;
}
