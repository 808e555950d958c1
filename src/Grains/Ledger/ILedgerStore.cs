namespace FurnitureOps.Grains.Ledger;

/// <summary>Durable storage of one ledger entity (one grain's rows).</summary>
public interface ILedgerStore<TState, TCommand, TReply>
{
    /// <summary>The tenant whose entity this is (a metrics dimension).</summary>
    string TenantId { get; }

    /// <summary>The kind of entity, e.g. <c>sku</c> or <c>player</c> (a metrics dimension).</summary>
    string EntityType { get; }

    /// <summary>Reads the state row (or the empty state) and the records still live at <paramref name="now"/>.</summary>
    Task<LedgerSnapshot<TState, TReply>> LoadAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Writes state, ledger, audit, outbox and idempotency rows in one transaction, guarded by the committed
    /// version. Throws <see cref="LedgerConflictException"/> if another writer got there first; any other
    /// exception means the transaction did not commit or its outcome is unknown.
    /// </summary>
    Task CommitAsync(LedgerCommit<TState, TCommand, TReply> commit, CancellationToken cancellationToken);
}

/// <summary>The version guard found rows this activation did not write: a second writer exists.</summary>
public sealed class LedgerConflictException(string message) : Exception(message);
