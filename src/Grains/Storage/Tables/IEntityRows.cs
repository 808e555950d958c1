using FurnitureOps.Grains.Ledger;

namespace FurnitureOps.Grains.Storage.Tables;

/// <summary>
/// One kind of ledger entity described as rows: which tables (<see cref="Tables"/>), and the column values of
/// its state row, of the ledger row of one effect, and of its audit snapshot. Nothing else: the commit pipeline
/// writes them.
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
}
