using FurnitureOps.Grains.Ledger;

namespace FurnitureOps.Grains.Storage.Tables;

/// <summary>
/// One kind of ledger entity described as rows: which tables (<see cref="Tables"/>), and the column values of
/// its state row, of the ledger row of one effect, of its audit snapshot and of the child rows an effect
/// changes. Nothing else: the commit pipeline writes them.
/// </summary>
public interface IEntityRows<TState, TCommand>
{
    EntityTables Tables { get; }

    /// <summary>The state row's own columns (<see cref="EntityTables.InsertColumns"/> after tenant, key and version).</summary>
    object?[] StateValues(TState state);

    /// <summary>The ledger row's own columns for one effect (<see cref="EntityTables.LedgerRowColumns"/> after tenant, key and version).</summary>
    object?[] LedgerValues(LedgerEffect<TState, TCommand> effect);

    /// <summary>The snapshot written to audit <c>before</c>/<c>after</c>; null where the entity did not exist.</summary>
    object? AuditSnapshot(TState state);

    /// <summary>
    /// The child rows one effect creates or changes, with their values after it, in
    /// <see cref="ChildTable.Columns"/> order (tenant, child key, owner first). None for a kind without children.
    /// </summary>
    IEnumerable<object?[]> ChildValues(LedgerEffect<TState, TCommand> effect) => [];
}
