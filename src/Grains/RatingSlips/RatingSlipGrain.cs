using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.RatingSlips;
using FurnitureOps.Grains.Ledger;
using FurnitureOps.Grains.Loyalty;
using FurnitureOps.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FurnitureOps.Grains.RatingSlips;

/// <summary>
/// A rating slip and its completion saga. Not reentrant: the slip's commands, reminder ticks and recovery
/// calls run one at a time, so the saga's steps never interleave. Saga steps live in
/// <c>RatingSlipGrain.Saga.cs</c>.
/// </summary>
public sealed partial class RatingSlipGrain(
    [PersistentState("slip", RatingSlipGrain.StorageName)] IPersistentState<RatingSlipState> slip,
    OutboxWriter outbox,
    IOptions<LoyaltyOptions> options,
    GrainClock clock,
    ILogger<RatingSlipGrain> logger) : Grain, IRatingSlipGrain, IRemindable
{
    /// <summary>The grain storage provider slips are kept in.</summary>
    public const string StorageName = "slips";

    private string _tenantId = null!;
    private string _slipId = null!;

    private RatingSlipState State => slip.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, _slipId) = TenantKey.Parse(this.GetPrimaryKeyString());

        // A crash between closing the slip and registering its reminder must not strand the accrual.
        if (slip.RecordExists && State.Accrual == AccrualStatus.Pending)
        {
            await RegisterRetryReminderAsync();
        }
    }

    public async Task<CommandOutcome<SlipReply>> OpenAsync(OpenSlip command, CommandContext context)
    {
        if (Remembered(context) is { } remembered)
        {
            return remembered;
        }

        if (!slip.RecordExists)
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

        if (!slip.RecordExists)
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

            // The slip closes durably before the accrual is tried; from here the saga only moves forward.
            await PersistAsync();
            await RegisterRetryReminderAsync();
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

        if (!slip.RecordExists)
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

    public Task<RatingSlipView?> GetAsync() => Task.FromResult(slip.RecordExists ? State.ToView(_slipId) : null);

    private CommandOutcome<SlipReply>? Remembered(CommandContext context) =>
        State.Keys.TryGetValue(context.IdempotencyKey, out var record)
            ? record.Fingerprint == context.Fingerprint
                ? new CommandOutcome<SlipReply>(record.Reply, IdempotencyStatus.Replayed)
                : new CommandOutcome<SlipReply>(null, IdempotencyStatus.KeyReused)
            : null;

    private async Task<CommandOutcome<SlipReply>> RecordAsync(CommandContext context, SlipReply reply)
    {
        State.Keys[context.IdempotencyKey] = new SlipKeyRecord(context.Fingerprint, reply);
        await PersistAsync();
        return new CommandOutcome<SlipReply>(reply, IdempotencyStatus.Fresh);
    }

    private Task PersistAsync() => slip.WriteOrRetireAsync(this, error => LogPersistFailed(logger, error, _slipId),
        "The rating slip could not be saved; retry with the same Idempotency-Key.");

    // Nothing to record for a slip that does not exist: recording would create it.
    private static CommandOutcome<SlipReply> NotFound() => new(new SlipReply(null, SlipReply.SlipNotFound), IdempotencyStatus.Fresh);
}
