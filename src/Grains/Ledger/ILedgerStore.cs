using FurnitureOps.Grains.Ledger.Commit;

namespace FurnitureOps.Grains.Ledger;

/// <summary>Durable storage of one ledger entity (one grain's rows).</summary>
public interface ILedgerStore<TState, TCommand, TReply>
{
    /// <summary>The tenant whose entity this is (a metrics dimension).</summary>
    string TenantId { get; }

    /// <summary>The kind of entity, e.g. <c>sku</c> or <c>player</c> (a metrics dimension).</summary>
    string EntityType { get; }

    /// <summary>Reads the state row, or the empty state (version 0) if there is none. Never reads idempotency records.</summary>
    Task<TState> LoadStateAsync(CancellationToken cancellationToken);

    /// <summary>The records of <paramref name="keys"/> still live at <paramref name="now"/> (a key whose record expired is absent).</summary>
    Task<IReadOnlyList<IdempotencyRecord<TReply>>> LoadRecordsAsync(IReadOnlyCollection<string> keys, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Writes state, ledger, audit, outbox and idempotency rows atomically, guarded by the committed version,
    /// and says whether they committed or why none did (<see cref="CommitResult"/>). An exception means the
    /// rows did not commit or the outcome is unknown.
    /// </summary>
    Task<CommitResult> CommitAsync(LedgerCommit<TState, TCommand, TReply> commit);
}

/// <summary>The version guard found rows this activation did not write: a second writer exists.</summary>
public sealed class LedgerConflictException(string message) : Exception(message);
