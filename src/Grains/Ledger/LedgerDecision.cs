using FurnitureOps.Grains.Interfaces.Ledger;

namespace FurnitureOps.Grains.Ledger;

/// <summary>An event for the transactional outbox: a versioned type (e.g. <c>inventory.sold.v1</c>) and its payload.</summary>
public sealed record DomainEvent(string Type, object Payload);

/// <summary>What the entity's rules decided about one command, given the working state.</summary>
public abstract record LedgerDecision<TState, TReply>(TReply Reply)
{
    /// <summary>
    /// Applied: <paramref name="Next"/> becomes the working state; one ledger row, one audit row and an outbox
    /// row per event are written, and the reply is recorded under the idempotency key.
    /// </summary>
    public sealed record Accept(TState Next, TReply Reply, string Action, IReadOnlyList<DomainEvent> Events)
        : LedgerDecision<TState, TReply>(Reply);

    /// <summary>A business rejection (e.g. insufficient stock): nothing changes, but the reply is recorded under the key.</summary>
    public sealed record Reject(TReply Reply) : LedgerDecision<TState, TReply>(Reply);

    /// <summary>
    /// Already done under a business key (e.g. the same accrual source): nothing changes; the reply, which
    /// repeats the earlier effect, is recorded under this command's key. Treated exactly like <see cref="Reject"/>.
    /// </summary>
    public sealed record Repeat(TReply Reply) : LedgerDecision<TState, TReply>(Reply);

    /// <summary>
    /// Answered and forgotten: the entity does not exist, so there is nothing to guard or record. Rules must
    /// use this rather than <see cref="Reject"/> for an entity whose version is 0.
    /// </summary>
    public sealed record Refuse(TReply Reply) : LedgerDecision<TState, TReply>(Reply);
}

/// <summary>
/// What the rules may know besides state and command: the version an accepted effect must carry, the time,
/// and who is acting (the command's context).
/// </summary>
public sealed record EffectContext(long NextVersion, DateTimeOffset Now, CommandContext Command);

/// <summary>The business rules of one kind of ledger entity: pure functions of state and command.</summary>
public interface ILedgerRules<TState, TCommand, TReply>
{
    /// <summary>
    /// Decides one command. An <see cref="LedgerDecision{TState,TReply}.Accept"/> must return state whose
    /// version is <see cref="EffectContext.NextVersion"/>.
    /// </summary>
    LedgerDecision<TState, TReply> Decide(TState state, TCommand command, EffectContext context);
}
