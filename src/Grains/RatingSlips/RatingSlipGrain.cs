using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.RatingSlips;
using FurnitureOps.Grains.Ledger.Commit;
using FurnitureOps.Grains.Loyalty;
using FurnitureOps.Grains.Sagas;
using FurnitureOps.Grains.Storage;
using FurnitureOps.Grains.Storage.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FurnitureOps.Grains.RatingSlips;

/// <summary>
/// A rating slip and its completion saga, kept in its <c>rating_slips</c> row (<see cref="Table"/>). Not
/// reentrant: the slip's commands, the sweeper's resumes and recovery calls run one at a time, so the saga's
/// steps never interleave. Saga steps live in <c>RatingSlipGrain.Saga.cs</c>.
/// </summary>
public sealed partial class RatingSlipGrain(
    PostgresStorage storage,
    CommitPipeline pipeline,
    LegacySagaStorage legacy,
    IOptions<LoyaltyOptions> options,
    GrainClock clock,
    ILogger<RatingSlipGrain> logger) : Grain, IRatingSlipGrain, IRemindable
{
    public static readonly SagaTable Table = new("rating_slip", "rating_slips", "slip_id", finishedStatuses: ["accrued"]);

    private string _tenantId = null!;
    private string _slipId = null!;
    private SagaRow<RatingSlipState> _row = null!;

    private RatingSlipState State => _row.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _slipId) = TenantKey.Parse(this.GetPrimaryKeyString());
        _row = new SagaRow<RatingSlipState>(storage, pipeline, Table, _tenantId, _slipId, logger);
        await _row.LoadAsync(cancellationToken);
        await CarryOverLegacyStateAsync();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => LegacyReminders.RemoveAsync(this, reminderName);

    public async Task<CommandOutcome<SlipReply>> OpenAsync(OpenSlip command, CommandContext context)
    {
        if (Remembered(context) is { } remembered)
        {
            return remembered;
        }

        if (!_row.Exists)
        {
            State.PlayerId = command.PlayerId;
            State.Game = command.Game;
            State.AverageBet = command.AverageBet;
            State.Status = SlipStatus.Open;
            State.OpenedAt = clock.Time.GetUtcNow();
            return await RecordAsync(context, new SlipReply(State.ToView(_slipId), null));
        }

        return await RecordAsync(context, new SlipReply(null, SlipReply.SlipExists));
    }

    public async Task<CommandOutcome<SlipReply>> CompleteAsync(int minutesPlayed, CommandContext context)
    {
        if (Remembered(context) is { } remembered)
        {
            return remembered;
        }

        if (!_row.Exists)
        {
            return NotFound();
        }

        if (State.Status == SlipStatus.Open)
        {
            State.Status = SlipStatus.Completed;
            State.MinutesPlayed = minutesPlayed;
            State.Points = (long)Math.Floor(State.AverageBet * minutesPlayed * (decimal)options.Value.SlipPointsRate);
            State.Accrual = AccrualStatus.Pending;
            State.CompletionEventPending = true;
            State.CorrelationId = context.RequestId;
            State.CompletedBy = context.Actor;
            State.CompletedAt = clock.Time.GetUtcNow();
            State.SystemAccrualKey = true;
            State.NextAttemptAt = State.CompletedAt + options.Value.AccrualRetryPeriod;

            // The slip closes durably, with its completion event and its accrual due, before the accrual is
            // tried: if this silo dies now, the sweeper makes the accrual. From here the saga only moves forward.
            await SaveAsync();
            await TryAccrueAsync();
        }

        return await RecordAsync(context, new SlipReply(State.ToView(_slipId), null));
    }

    public async Task<CommandOutcome<SlipReply>> RecoverLoyaltyAsync(CommandContext context)
    {
        if (Remembered(context) is { } remembered)
        {
            return remembered;
        }

        if (!_row.Exists)
        {
            return NotFound();
        }

        if (State.Accrual is AccrualStatus.Pending or AccrualStatus.Stalled)
        {
            LogManualRecovery(logger, _slipId, context.Actor);
            await TryAccrueAsync();
        }

        return await RecordAsync(context, new SlipReply(State.ToView(_slipId), null));
    }

    public Task<RatingSlipView?> GetAsync() => Task.FromResult(_row.Exists ? State.ToView(_slipId) : null);

    private CommandOutcome<SlipReply>? Remembered(CommandContext context) =>
        State.Keys.TryGetValue(context.IdempotencyKey, out var record)
            ? record.Fingerprint == context.Fingerprint
                ? new CommandOutcome<SlipReply>(record.Reply, IdempotencyStatus.Replayed)
                : new CommandOutcome<SlipReply>(null, IdempotencyStatus.KeyReused)
            : null;

    private async Task<CommandOutcome<SlipReply>> RecordAsync(CommandContext context, SlipReply reply)
    {
        State.Keys[context.IdempotencyKey] = new SlipKeyRecord(context.Fingerprint, reply);
        await SaveAsync();
        return new CommandOutcome<SlipReply>(reply, IdempotencyStatus.Fresh);
    }

    /// <summary>A slip saved by a release before <c>rating_slips</c> becomes its row here, its accrual due at once if pending.</summary>
    private Task CarryOverLegacyStateAsync() =>
        legacy.CarryOverAsync(LegacySagaStorage.Slips, this.GetGrainId(), _row, () =>
        {
            State.NextAttemptAt ??= clock.Time.GetUtcNow();
            return SaveAsync();
        });

    /// <summary>
    /// Commits the slip's row, with the completion event if it has not been committed yet. The row is
    /// unfinished (the sweeper's) only while its accrual is pending.
    /// </summary>
    private async Task SaveAsync()
    {
        IReadOnlyList<OutboxRow> events = State.CompletionEventPending ? [CompletionEvent()] : [];
        State.CompletionEventPending = false;
        await _row.SaveAsync(this, RowStatus(), State.Accrual == AccrualStatus.Pending ? State.NextAttemptAt : null,
            clock.Time.GetUtcNow(), events, "The rating slip could not be saved; retry with the same Idempotency-Key.");
    }

    private string RowStatus() => State.Status == SlipStatus.Open ? "open" : State.Accrual switch
    {
        AccrualStatus.Pending => "accrual_pending",
        AccrualStatus.Stalled => "accrual_stalled",
        _ => "accrued",
    };

    // Nothing to record for a slip that does not exist: recording would create it.
    private static CommandOutcome<SlipReply> NotFound() => new(new SlipReply(null, SlipReply.SlipNotFound), IdempotencyStatus.Fresh);
}
