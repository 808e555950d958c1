using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Pos;
using FurnitureOps.Grains.Storage;
using FurnitureOps.Grains.Storage.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FurnitureOps.Grains.Pos;

/// <summary>
/// A POS event and the saga that applies it. Not reentrant: deliveries of the same event, reminder ticks and
/// saga steps run one at a time, so a repeated delivery waits for the first and then answers "already seen".
/// The steps themselves live in <c>PosEventGrain.Saga.cs</c>.
/// </summary>
public sealed partial class PosEventGrain(
    [PersistentState("event", PosEventGrain.StorageName)] IPersistentState<PosEventState> posEvent,
    PosIntakeGate gate,
    OutboxWriter outbox,
    PosAttentionStore attention,
    IOptions<PosOptions> options,
    GrainClock clock,
    ILogger<PosEventGrain> logger) : Grain, IPosEventGrain, IRemindable
{
    /// <summary>The grain storage provider POS events are kept in.</summary>
    public const string StorageName = "pos-events";

    private string _tenantId = null!;
    private Guid _eventId;

    // Whether this activation counts towards the silo's unfinished events (released when finished or deactivated).
    private bool _counted;

    private PosEventState State => posEvent.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var (tenantId, eventId) = TenantKey.Parse(this.GetPrimaryKeyString());
        (_tenantId, _eventId) = (tenantId, Guid.Parse(eventId));
        if (posEvent.RecordExists && !State.IsFinished)
        {
            gate.Resume();
            _counted = true;
            await RegisterRetryReminderAsync(); // idempotent; covers a crash between acceptance and registration
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ReleaseIntakeSlot();
        return Task.CompletedTask;
    }

    public async Task<CommandOutcome<PosEventView>> SubmitAsync(PosEventSubmission submission, CommandContext context)
    {
        if (posEvent.RecordExists)
        {
            return State.Fingerprint == context.Fingerprint
                ? new CommandOutcome<PosEventView>(State.ToView(_eventId), IdempotencyStatus.Replayed)
                : new CommandOutcome<PosEventView>(null, IdempotencyStatus.KeyReused);
        }

        gate.Admit();
        _counted = true;
        try
        {
            posEvent.State = new PosEventState
            {
                Fingerprint = context.Fingerprint,
                Submission = submission,
                Status = PosEventStatus.Pending,
                Steps = PlanSteps(submission),
                RequestId = context.RequestId,
                Actor = context.Actor,
                AcceptedAt = clock.Time.GetUtcNow(),
                SystemStepKeys = true,
            };

            // The reminder first: once the event is stored, something must finish its saga even if this silo dies.
            await RegisterRetryReminderAsync();
            await PersistAsync();
        }
        catch
        {
            ReleaseIntakeSlot();
            throw;
        }

        LogAccepted(logger, _eventId, submission.Source, submission.Type);
        await RunSagaAsync();
        return new CommandOutcome<PosEventView>(State.ToView(_eventId), IdempotencyStatus.Fresh);
    }

    public Task<PosEventView?> GetAsync() => Task.FromResult(posEvent.RecordExists ? State.ToView(_eventId) : null);

    public async Task<CommandOutcome<PosResolveReply>> ResolveAsync(string note, CommandContext context)
    {
        if (!posEvent.RecordExists)
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
            new OutboxRow(OutboxWriter.EventId($"pos.event_resolved:{_tenantId}/{_eventId}"), _tenantId, "pos.event_resolved.v1", "pos_event", id,
                AggregateVersion: 2, LedgerJson.SerializeObject(new PosEventResolved(_eventId, note, context.Actor, resolution.ResolvedAt)),
                resolution.ResolvedAt, context.RequestId));

        State.Status = PosEventStatus.Resolved;
        State.Resolution = resolution;
        State.ResolutionKey = context.IdempotencyKey;
        State.ResolutionFingerprint = context.Fingerprint;
        await PersistAsync();
        LogResolved(logger, _eventId, context.Actor);
        return new CommandOutcome<PosResolveReply>(new PosResolveReply(State.ToView(_eventId), Resolved: true), IdempotencyStatus.Fresh);
    }

    private Task PersistAsync() => posEvent.WriteOrRetireAsync(this, error => LogPersistFailed(logger, error, _eventId),
        "The POS event could not be saved; retry the same delivery.");

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

    [LoggerMessage(Level = LogLevel.Information, Message = "POS event {EventId} from {Source} accepted ({Type})")]
    private static partial void LogAccepted(ILogger logger, Guid eventId, string source, PosEventType type);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving POS event {EventId} failed; retiring the activation")]
    private static partial void LogPersistFailed(ILogger logger, Exception error, Guid eventId);
}
