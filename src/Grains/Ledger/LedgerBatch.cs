using FurnitureOps.Grains.Interfaces.Ledger;

namespace FurnitureOps.Grains.Ledger;

/// <summary>
/// Step 2 of the write path, with no I/O: decides every command of one flush in arrival order against a
/// working state that already includes the effects of the earlier commands of the same batch.
/// </summary>
/// <remarks>
/// Deciding against the working state (not the committed one) is what makes batching safe: with 50 units
/// on hand, a batch of 100 sales of 1 accepts exactly 50, because sale 51 sees the 50 before it.
/// </remarks>
internal sealed class LedgerBatch<TState, TCommand, TReply>
    where TState : ILedgerState
{
    private readonly Dictionary<string, IdempotencyRecord<TReply>> _recordedInBatch = new(StringComparer.Ordinal);
    private readonly List<LedgerEffect<TState, TCommand>> _effects = [];
    private readonly List<(PendingCommand<TCommand, TReply> Command, CommandOutcome<TReply> Outcome)> _answers = [];
    private readonly List<(PendingCommand<TCommand, TReply> Command, Exception Error)> _failures = [];

    private LedgerBatch(TState committed) => Working = committed;

    /// <summary>The state after every accepted command of the batch.</summary>
    public TState Working { get; private set; }

    public IReadOnlyList<LedgerEffect<TState, TCommand>> Effects => _effects;

    public IReadOnlyCollection<IdempotencyRecord<TReply>> NewRecords => _recordedInBatch.Values;

    /// <summary>True when the batch has anything to write; a batch of replays only needs no transaction.</summary>
    public bool HasWrites => _recordedInBatch.Count > 0;

    public IReadOnlyList<(PendingCommand<TCommand, TReply> Command, CommandOutcome<TReply> Outcome)> Answers => _answers;

    /// <summary>Commands whose rules threw: answered with the error, never recorded.</summary>
    public IReadOnlyList<(PendingCommand<TCommand, TReply> Command, Exception Error)> Failures => _failures;

    public static LedgerBatch<TState, TCommand, TReply> Decide(
        TState committed,
        RecentReplies<TReply> knownKeys,
        IEnumerable<PendingCommand<TCommand, TReply>> commands,
        ILedgerRules<TState, TCommand, TReply> rules,
        DateTimeOffset now,
        TimeSpan retention)
    {
        var batch = new LedgerBatch<TState, TCommand, TReply>(committed);
        foreach (var command in commands)
        {
            batch.DecideOne(command, knownKeys, rules, now, retention);
        }

        return batch;
    }

    private void DecideOne(
        PendingCommand<TCommand, TReply> pending,
        RecentReplies<TReply> knownKeys,
        ILedgerRules<TState, TCommand, TReply> rules,
        DateTimeOffset now,
        TimeSpan retention)
    {
        var key = pending.Context.IdempotencyKey;

        // A duplicate may have been committed earlier or decided earlier in this very batch; either way it
        // gets the first reply, so 75 concurrent copies of one request produce one effect. A key that is not
        // known here is decided as new: if it is live in the database after all, the commit refuses it and the
        // write path decides again with the stored record.
        if (_recordedInBatch.TryGetValue(key, out var seen) || (seen = knownKeys.Live(key, now)) is not null)
        {
            _answers.Add(seen.Fingerprint == pending.Context.Fingerprint
                ? (pending, new CommandOutcome<TReply>(seen.Reply, IdempotencyStatus.Replayed))
                : (pending, new CommandOutcome<TReply>(default, IdempotencyStatus.KeyReused)));
            return;
        }

        LedgerDecision<TState, TReply> decision;
        try
        {
            decision = rules.Decide(Working, pending.Command, new EffectContext(Working.Version + 1, now, pending.Context));
        }
        catch (Exception error)
        {
            _failures.Add((pending, error));
            return;
        }

        switch (decision)
        {
            case LedgerDecision<TState, TReply>.Accept accept:
                if (accept.Next.Version != Working.Version + 1)
                {
                    _failures.Add((pending, new InvalidOperationException(
                        $"Rules accepted a command with version {accept.Next.Version}; expected {Working.Version + 1}.")));
                    return;
                }

                _effects.Add(new LedgerEffect<TState, TCommand>(
                    pending.Command, pending.Context, Working, accept.Next, accept.Action, accept.Events, now));
                Working = accept.Next;
                Record(pending, decision.Reply, now, retention);
                break;

            case LedgerDecision<TState, TReply>.Reject or LedgerDecision<TState, TReply>.Repeat when Working.Version == 0:
                _failures.Add((pending, new InvalidOperationException(
                    "Rules recorded an answer for an entity that does not exist; use Refuse.")));
                break;

            case LedgerDecision<TState, TReply>.Reject or LedgerDecision<TState, TReply>.Repeat:
                Record(pending, decision.Reply, now, retention);
                break;

            case LedgerDecision<TState, TReply>.Refuse:
                _answers.Add((pending, new CommandOutcome<TReply>(decision.Reply, IdempotencyStatus.Fresh)));
                break;
        }
    }

    private void Record(PendingCommand<TCommand, TReply> pending, TReply reply, DateTimeOffset now, TimeSpan retention)
    {
        // A saga step's key never expires: the step may run again at any time (after a long backoff, or with a
        // retention set short) and must then replay, not apply a second time. One record per step, like its
        // ledger row; memory stays bounded (RecentReplies), and the table answers a key memory no longer holds.
        var key = pending.Context.IdempotencyKey;
        var expiresAt = SystemKeys.IsReserved(key) ? DateTimeOffset.MaxValue : now + retention; // 'infinity' in the table
        _recordedInBatch[key] = new IdempotencyRecord<TReply>(key, pending.Context.Fingerprint, reply, now, expiresAt);
        _answers.Add((pending, new CommandOutcome<TReply>(reply, IdempotencyStatus.Fresh)));
    }
}
