using FurnitureOps.Grains.Interfaces.Ledger;

namespace FurnitureOps.Grains.Ledger;

/// <summary>One accepted command: the ledger row is derived from Before/After, the audit row and outbox events from the rest.</summary>
public sealed record LedgerEffect<TState, TCommand>(
    TCommand Command,
    CommandContext Context,
    TState Before,
    TState After,
    string Action,
    IReadOnlyList<DomainEvent> Events,
    DateTimeOffset At);

/// <summary>A reply remembered under its idempotency key until <see cref="ExpiresAt"/>.</summary>
public sealed record IdempotencyRecord<TReply>(
    string Key,
    string Fingerprint,
    TReply Reply,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt)
{
    public bool IsLiveAt(DateTimeOffset now) => ExpiresAt > now;
}

/// <summary>
/// Everything one flush writes, atomically. <see cref="Committed"/> is the state the grain holds;
/// the store must refuse to commit unless the database still holds that version.
/// </summary>
public sealed record LedgerCommit<TState, TCommand, TReply>(
    TState Committed,
    TState Final,
    IReadOnlyList<LedgerEffect<TState, TCommand>> Effects,
    IReadOnlyList<IdempotencyRecord<TReply>> Records);
