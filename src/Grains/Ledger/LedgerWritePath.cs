using System.Diagnostics;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Ledger.Commit;
using FurnitureOps.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace FurnitureOps.Grains.Ledger;

/// <summary>
/// The write path every ledger grain (SKU, player balance) uses. Start reading the code base here.
/// <list type="number">
/// <item>Commands queue while a flush is in progress (at most <see cref="LedgerOptions.MaxQueueLength"/>; more are
/// refused at once); one flush takes everything queued (up to <see cref="LedgerOptions.MaxBatchSize"/>).</item>
/// <item>Per command, in arrival order: idempotency check (replay or key reused) against the recent replies in
/// memory, then the entity's rules against the working state, which includes the earlier commands of the same
/// batch (<see cref="LedgerBatch{TState,TCommand,TReply}"/>).</item>
/// <item>The decided flush goes to the silo's <see cref="CommitPipeline"/>, which commits it atomically with the
/// flushes of other grains: state row (guarded by version), ledger, audit, outbox and idempotency rows. Only after
/// it commits is memory updated and every caller answered.</item>
/// <item>If the commit finds a live record for a key this activation does not hold in memory (a resend of an
/// older key), nothing was written: the record is read and the flush decided again, so the resend is replayed
/// (or refused as a changed payload) exactly as if it had been in memory.</item>
/// <item>If it does not commit, nothing is applied in memory, every caller gets a retryable
/// <see cref="StorageUnavailableException"/>, and the activation retires so the next one reloads the truth
/// from the database (the commit may have happened after all; then a resend is simply replayed). A version
/// conflict (another writer: a duplicate activation) retires it the same way.</item>
/// <item>Activation reads the state row only: no history and no idempotency records.</item>
/// </list>
/// </summary>
/// <remarks>
/// Runs entirely on the owning grain's scheduler: the grain must be reentrant so that commands can be
/// accepted while a flush awaits the database, and no state here is touched from any other thread.
/// </remarks>
public sealed partial class LedgerWritePath<TState, TCommand, TReply>(
    ILedgerRules<TState, TCommand, TReply> rules,
    ILedgerStore<TState, TCommand, TReply> store,
    LedgerOptions options,
    TimeProvider time,
    Action retireActivation,
    ILogger logger)
    where TState : ILedgerState
{
    private readonly Queue<PendingCommand<TCommand, TReply>> _queue = new();
    private readonly RecentReplies<TReply> _replies = new(options.RecentReplies);
    private bool _flushing;
    private bool _retired;
    private TState? _state;

    /// <summary>The committed state: never includes an effect whose transaction has not committed.</summary>
    public TState State => _state ?? throw new InvalidOperationException("The write path has not been loaded.");

    /// <summary>
    /// Step 6: loads the committed state. Call once, on activation. A database failure fails the activation with
    /// the retryable <see cref="StorageUnavailableException"/>.
    /// </summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            _state = await store.LoadStateAsync(cancellationToken);
        }
        catch (Exception error) when (StorageFailures.IsStorageFailure(error))
        {
            LogLoadFailed(logger, error);
            throw StorageFailures.Retryable();
        }
    }

    /// <summary>Step 1: queues a command and returns its answer, which arrives only after its commit.</summary>
    public Task<CommandOutcome<TReply>> SubmitAsync(TCommand command, CommandContext context)
    {
        if (_retired)
        {
            return Task.FromException<CommandOutcome<TReply>>(new StorageUnavailableException(
                "This activation is retiring after a failed commit; retry the request."));
        }

        if (_queue.Count >= options.MaxQueueLength)
        {
            return Task.FromException<CommandOutcome<TReply>>(new OverloadedException(
                $"{_queue.Count} commands are already waiting for this {store.EntityType}; retry shortly."));
        }

        var pending = new PendingCommand<TCommand, TReply>(command, context);
        _queue.Enqueue(pending);
        if (!_flushing)
        {
            // The flag, not a stored Task, marks a running loop: the loop may finish synchronously (a batch
            // of replays needs no I/O) before a Task reference could even be assigned.
            _flushing = true;
            _ = FlushUntilEmptyAsync();
        }

        return pending.Answer.Task;
    }

    private async Task FlushUntilEmptyAsync()
    {
        try
        {
            while (_queue.Count > 0 && !_retired)
            {
                var batch = new List<PendingCommand<TCommand, TReply>>(Math.Min(_queue.Count, options.MaxBatchSize));
                while (batch.Count < options.MaxBatchSize && _queue.TryDequeue(out var pending))
                {
                    batch.Add(pending);
                }

                await FlushAsync(batch);
            }
        }
        finally
        {
            _flushing = false;
        }
    }

    private async Task FlushAsync(List<PendingCommand<TCommand, TReply>> commands)
    {
        var now = PostgresTime.Microseconds(time.GetUtcNow());
        _replies.ForgetExpired(now);
        LedgerBatch<TState, TCommand, TReply> batch;
        try
        {
            // At most twice round: after a refused key is read, every key of the batch is known or really new.
            for (var attempt = 1; ; attempt++)
            {
                batch = LedgerBatch<TState, TCommand, TReply>.Decide(State, _replies, commands, rules, now, options.IdempotencyRetention);
                if (!batch.HasWrites)
                {
                    break;
                }

                var started = Stopwatch.GetTimestamp();
                var result = await store.CommitAsync(
                    new LedgerCommit<TState, TCommand, TReply>(State, batch.Working, batch.Effects, [.. batch.NewRecords]));
                if (result.Status == CommitStatus.Committed)
                {
                    LedgerMetrics.Flushed(store.EntityType, commands.Count, Stopwatch.GetElapsedTime(started));
                    break;
                }

                if (result.Status == CommitStatus.Conflict || attempt == 2)
                {
                    throw new LedgerConflictException(result.Detail ?? $"Keys {string.Join(", ", result.LiveKeys)} are still refused.");
                }

                // Step 4: resends of keys older than what memory holds. Read their replies and decide again.
                LedgerMetrics.RecordsRead(store.EntityType, result.LiveKeys.Count);
                foreach (var record in await store.LoadRecordsAsync(result.LiveKeys, now, CancellationToken.None))
                {
                    _replies.Remember(record);
                }
            }
        }
        catch (Exception error)
        {
            // Whatever went wrong, no caller of this batch may be left waiting, and nothing was applied.
            Retire(commands, error);
            return;
        }

        _state = batch.Working;
        foreach (var record in batch.NewRecords)
        {
            _replies.Remember(record);
        }

        LogFlushed(logger, commands.Count, batch.Effects.Count, State.Version);
        foreach (var (pending, outcome) in batch.Answers)
        {
            CountIdempotency(pending.Command, outcome.Status);
            pending.Answer.TrySetResult(outcome);
        }

        foreach (var (pending, error) in batch.Failures)
        {
            LogRulesFailed(logger, error, pending.Context.IdempotencyKey);
            pending.Answer.TrySetException(error);
        }
    }

    /// <summary>Step 5: nothing from the failed batch is applied; everyone waiting, now or queued, gets a retryable error.</summary>
    private void Retire(List<PendingCommand<TCommand, TReply>> batch, Exception error)
    {
        _retired = true;
        LedgerMetrics.StorageFailed(store.EntityType);
        if (error is LedgerConflictException)
        {
            LogConflict(logger, error, State.Version);
        }
        else
        {
            LogCommitFailed(logger, error, batch.Count, State.Version);
        }

        // The cause stays in this silo's log: it may not be serializable, and callers need only "retry".
        var retryable = new StorageUnavailableException("The change was not committed; retry with the same Idempotency-Key.");
        foreach (var pending in batch.Concat(_queue))
        {
            pending.Answer.TrySetException(retryable);
        }

        _queue.Clear();
        retireActivation();
    }

    private void CountIdempotency(TCommand command, IdempotencyStatus status)
    {
        if (status == IdempotencyStatus.Replayed)
        {
            LedgerMetrics.Replayed(store.TenantId, command!.GetType().Name);
        }
        else if (status == IdempotencyStatus.KeyReused)
        {
            LedgerMetrics.KeyReused(store.TenantId, command!.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Loading the ledger state failed; the activation fails and the next call retries")]
    private static partial void LogLoadFailed(ILogger logger, Exception error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Flushed {Commands} commands with {Effects} effects; now at version {Version}")]
    private static partial void LogFlushed(ILogger logger, int commands, int effects, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Commit of {Commands} commands at version {Version} failed; retiring the activation")]
    private static partial void LogCommitFailed(ILogger logger, Exception error, int commands, long version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Another writer changed the rows behind version {Version}; retiring the activation")]
    private static partial void LogConflict(ILogger logger, Exception error, long version);

    [LoggerMessage(Level = LogLevel.Error, Message = "Rules failed on the command with idempotency key {IdempotencyKey}")]
    private static partial void LogRulesFailed(ILogger logger, Exception error, string idempotencyKey);
}
