using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Pos;
using FurnitureOps.Grains.Ledger.Commit;
using FurnitureOps.Grains.Sagas;
using FurnitureOps.Grains.Storage;
using FurnitureOps.Grains.Storage.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FurnitureOps.Grains.Pos;

/// <summary>
/// A POS event and the saga that applies it, kept in its <c>pos_events</c> row (<see cref="Table"/>). Not
/// reentrant: deliveries of the same event, the sweeper's resumes and saga steps run one at a time, so a
/// repeated delivery waits for the first and then answers "already seen". The steps themselves live in
/// <c>PosEventGrain.Saga.cs</c>.
/// </summary>
public sealed partial class PosEventGrain(
    PostgresStorage storage,
    CommitPipeline pipeline,
    LegacySagaStorage legacy,
    PosIntakeGate gate,
    PosAttentionStore attention,
    IOptions<PosOptions> options,
    GrainClock clock,
    ILogger<PosEventGrain> logger) : Grain, IPosEventGrain, IRemindable
{
    public static readonly SagaTable Table = new("pos_event", "pos_events", "event_id", finishedStatuses: ["applied", "rejected", "resolved"]);

    private string _tenantId = null!;
    private Guid _eventId;
    private SagaRow<PosEventState> _row = null!;

    // Whether this activation counts towards the silo's unfinished events (released when finished or deactivated).
    private bool _counted;

    // Whether _row holds what the database has (ReadRowAsync). Most activations are a new event's first delivery,
    // whose row cannot exist yet, so they do not read it: the acceptance inserts it, and finds out that way if an
    // earlier delivery (one this activation did not see) wrote it first.
    private bool _read;

    // The commit of the saga's outcome, when the first delivery was answered before it (RunSagaAsync): its
    // steps were applied then, and only the row's status and the completion event were still on their way.
    // Every later call waits for it first (SettledAsync).
    private Task? _completion;

    private PosEventState State => _row.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (tenantId, eventId) = TenantKey.Parse(this.GetPrimaryKeyString());
        (_tenantId, _eventId) = (tenantId, Guid.Parse(eventId));
        _row = new SagaRow<PosEventState>(storage, pipeline, Table, tenantId, eventId, logger);

        // An event still in the old grain storage must be carried over before anything could accept it again.
        if (legacy.MayHoldSagas)
        {
            await ReadRowAsync();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await SettledAsync();
        }
        catch (StorageUnavailableException)
        {
            // Logged where it failed; the row stays unfinished and the sweeper finishes the saga.
        }

        ReleaseIntakeSlot();
    }

    public async Task<CommandOutcome<PosEventView>> SubmitAsync(PosEventSubmission submission, CommandContext context)
    {
        await SettledAsync();
        if (!_read && await AcceptAsync(submission, context))
        {
            return await RunAcceptedAsync(submission);
        }

        await ReadRowAsync();
        if (!_row.Exists)
        {
            await AcceptAsync(submission, context); // read: it accepts, or throws
            return await RunAcceptedAsync(submission);
        }

        if (State.Fingerprint != context.Fingerprint)
        {
            return new CommandOutcome<PosEventView>(null, IdempotencyStatus.KeyReused);
        }

        // A resend of an event whose saga did not finish (its first delivery got 503) finishes it now rather than
        // waiting for the sweeper.
        await ResumeAsync();
        return new CommandOutcome<PosEventView>(State.ToView(_eventId), IdempotencyStatus.Replayed);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => LegacyReminders.RemoveAsync(this, reminderName);

    public async Task<PosEventView?> GetAsync()
    {
        if (_read)
        {
            return _row.Exists ? State.ToView(_eventId) : null;
        }

        // This call interleaves (AlwaysInterleave), possibly with an acceptance that is writing the row right
        // now: it answers from what is committed and leaves the activation's own state alone.
        var committed = await _row.PeekAsync(CancellationToken.None);
        return committed?.ToView(_eventId);
    }

    public async Task<CommandOutcome<PosResolveReply>> ResolveAsync(string note, CommandContext context)
    {
        await SettledAsync();
        await ReadRowAsync();
        if (!_row.Exists)
        {
            return new CommandOutcome<PosResolveReply>(null, IdempotencyStatus.Fresh);
        }

        if (State.ResolutionKey == context.IdempotencyKey)
        {
            return State.ResolutionFingerprint == context.Fingerprint
                ? new CommandOutcome<PosResolveReply>(new PosResolveReply(State.ToView(_eventId), Resolved: true), IdempotencyStatus.Replayed)
                : new CommandOutcome<PosResolveReply>(null, IdempotencyStatus.KeyReused);
        }

        if (State.Status != PosEventStatus.NeedsAttention)
        {
            return new CommandOutcome<PosResolveReply>(new PosResolveReply(State.ToView(_eventId), Resolved: false), IdempotencyStatus.Fresh);
        }

        // The database row first (with its audit row and event, once however often this is retried), then the
        // grain's state: a crash in between leaves the event needing attention here, and a resend completes it.
        var resolution = new PosResolution(note, context.Actor, clock.Time.GetUtcNow(), context.RequestId);
        var id = _eventId.ToString();
        await attention.ResolveAsync(_tenantId, _eventId, resolution,
            new AuditRow(_tenantId, resolution.ResolvedAt, context.Actor, "pos.event_resolved", "pos_event", id,
                LedgerJson.SerializeObject(new { status = "needsAttention", rejectionCode = State.RejectionCode }),
                LedgerJson.SerializeObject(new { status = "resolved", note }), context.RequestId),
            new OutboxRow(OutboxRows.StableEventId($"pos.event_resolved:{_tenantId}/{_eventId}"), _tenantId, "pos.event_resolved.v1", "pos_event", id,
                AggregateVersion: 2, LedgerJson.SerializeObject(new PosEventResolved(_eventId, note, context.Actor, resolution.ResolvedAt)),
                resolution.ResolvedAt, context.RequestId));

        State.Status = PosEventStatus.Resolved;
        State.Resolution = resolution;
        State.ResolutionKey = context.IdempotencyKey;
        State.ResolutionFingerprint = context.Fingerprint;
        await SaveAsync(nextAttemptAt: null, resolution.ResolvedAt, []);
        LogResolved(logger, _eventId, context.Actor);
        return new CommandOutcome<PosResolveReply>(new PosResolveReply(State.ToView(_eventId), Resolved: true), IdempotencyStatus.Fresh);
    }

    private async Task<CommandOutcome<PosEventView>> RunAcceptedAsync(PosEventSubmission submission)
    {
        LogAccepted(logger, _eventId, submission.Source, submission.Type);
        await RunSagaAsync(answerBeforeCompletion: true);
        return new CommandOutcome<PosEventView>(State.ToView(_eventId), IdempotencyStatus.Fresh);
    }

    /// <summary>
    /// Accepts the event: counted in by the intake bound, and its row committed, unfinished. False only while
    /// this activation has not read its row, when the row exists (an earlier delivery's) or the bound refused:
    /// a repeat is answered whatever the load, so the caller reads the row and decides. Otherwise the bound's
    /// refusal and storage failures throw.
    /// </summary>
    private async Task<bool> AcceptAsync(PosEventSubmission submission, CommandContext context)
    {
        try
        {
            gate.Admit();
        }
        catch (OverloadedException) when (!_read)
        {
            return false;
        }

        _counted = true;
        var now = clock.Time.GetUtcNow();
        bool created;
        try
        {
            _row.State = new PosEventState
            {
                Fingerprint = context.Fingerprint,
                Submission = submission,
                Status = PosEventStatus.Pending,
                Steps = PlanSteps(submission),
                RequestId = context.RequestId,
                Actor = context.Actor,
                AcceptedAt = now,
                SystemStepKeys = true,
            };

            // Accepted and unfinished in one commit: if this silo dies before the saga ends, the sweeper resumes
            // it once the retry period has passed.
            created = await _row.TryCreateAsync(this, StatusColumn, now + options.Value.RetryPeriod, now, SaveFailedAdvice);
        }
        catch
        {
            ReleaseIntakeSlot();
            throw;
        }

        if (!created)
        {
            ReleaseIntakeSlot(); // an earlier delivery's row: that delivery counted the event
            if (_read)
            {
                // This activation read no row, and now one exists: another activation of the event wrote it.
                DeactivateOnIdle();
                throw new StorageUnavailableException(SaveFailedAdvice);
            }

            return false;
        }

        _read = true;
        return true;
    }

    /// <summary>
    /// Reads the event's row once per activation (unless the acceptance wrote it), carrying over an event still
    /// in the old grain storage, and counts an unfinished event towards the silo's bound.
    /// </summary>
    private async Task ReadRowAsync()
    {
        if (_read)
        {
            return;
        }

        await _row.LoadAsync(CancellationToken.None);
        _read = true;
        await CarryOverLegacyStateAsync();
        if (_row.Exists && !State.IsFinished && !_counted)
        {
            gate.Resume();
            _counted = true;
        }
    }

    /// <summary>An event accepted by a release before <c>pos_events</c> becomes its row here, due at once if unfinished.</summary>
    private Task CarryOverLegacyStateAsync() =>
        legacy.CarryOverAsync(LegacySagaStorage.PosEvents, this.GetGrainId(), _row, () =>
        {
            var now = clock.Time.GetUtcNow();
            return SaveAsync(State.IsFinished ? null : State.NextAttemptAt ?? now, now, []);
        });

    /// <summary>Commits the event's row: unfinished until <paramref name="nextAttemptAt"/>, or finished when it is null.</summary>
    private Task SaveAsync(DateTimeOffset? nextAttemptAt, DateTimeOffset now, IReadOnlyList<OutboxRow> events) =>
        _row.SaveAsync(this, StatusColumn, nextAttemptAt, now, events, SaveFailedAdvice);

    private const string SaveFailedAdvice = "The POS event could not be saved; retry the same delivery.";

    /// <summary>The row's <c>status</c> column: the state's status in snake case.</summary>
    private string StatusColumn => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(State.Status.ToString());

    private void ReleaseIntakeSlot()
    {
        if (_counted)
        {
            _counted = false;
            gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "POS event {EventId} resolved by {Actor}")]
    private static partial void LogResolved(ILogger logger, Guid eventId, string actor);

    // Debug, not Information: every event's acceptance is its pos_events row, and a console line per event was
    // 4–5 % of a busy silo's CPU. What an operator must act on (a failed step, needs attention) is logged above Debug.
    [LoggerMessage(Level = LogLevel.Debug, Message = "POS event {EventId} from {Source} accepted ({Type})")]
    private static partial void LogAccepted(ILogger logger, Guid eventId, string source, PosEventType type);
}
