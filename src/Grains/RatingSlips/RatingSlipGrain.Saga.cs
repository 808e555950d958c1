using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Grains.Interfaces.RatingSlips;
using FurnitureOps.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace FurnitureOps.Grains.RatingSlips;

/// <summary>
/// The saga's forward steps after a slip closes. Each step is idempotent, so any of them may run again after
/// a crash or a failed attempt: the completion event has a deterministic id, and the accrual uses the slip
/// id as its business key, so the player grain makes it at most once whoever retries it.
/// </summary>
public sealed partial class RatingSlipGrain
{
    private const string RetryReminder = "loyalty-accrual";
    private const int MaxBackoffMultiplier = 32;

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RetryReminder)
        {
            return;
        }

        if (State.Accrual == AccrualStatus.Pending && (State.NextAttemptAt is null || State.NextAttemptAt <= clock.Time.GetUtcNow()))
        {
            await TryAccrueAsync();
        }

        if (State.Accrual != AccrualStatus.Pending)
        {
            await UnregisterRetryReminderAsync();
        }
    }

    /// <summary>Runs the remaining steps once; on failure counts the attempt and schedules the next with backoff.</summary>
    private async Task TryAccrueAsync()
    {
        try
        {
            await AppendCompletionEventAsync();
            await AccrueAsync();
            State.Accrual = AccrualStatus.Accrued;
            State.NextAttemptAt = null;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            State.AccrualAttempts++;
            var backoff = options.Value.AccrualRetryPeriod * Math.Min(MaxBackoffMultiplier, 1 << Math.Min(State.AccrualAttempts - 1, 5));
            State.NextAttemptAt = clock.Time.GetUtcNow() + backoff;
            State.Accrual = State.AccrualAttempts >= options.Value.MaxAccrualAttempts ? AccrualStatus.Stalled : AccrualStatus.Pending;
            LogAccrualFailed(logger, error, _slipId, State.AccrualAttempts, State.Accrual);
        }

        await PersistAsync();
        if (State.Accrual == AccrualStatus.Accrued)
        {
            await UnregisterRetryReminderAsync();
        }
    }

    private async Task AppendCompletionEventAsync()
    {
        if (!State.CompletionEventPending)
        {
            return;
        }

        await outbox.AppendOnceAsync(
            OutboxWriter.EventId($"rating_slip.completed:{_tenantId}/{_slipId}"), _tenantId, "rating_slip.completed.v1", "rating_slip",
            _slipId, aggregateVersion: 1,
            new RatingSlipCompleted(_slipId, State.PlayerId, State.Game, State.AverageBet, State.MinutesPlayed!.Value, State.Points!.Value),
            State.CompletedAt!.Value, State.CorrelationId!, CancellationToken.None);
        State.CompletionEventPending = false;
    }

    private async Task AccrueAsync()
    {
        if (State.Points is not > 0)
        {
            return; // a slip worth no points has nothing to accrue
        }

        var player = GrainFactory.GetGrain<IPlayerLoyaltyGrain>(TenantKey.Format(_tenantId, State.PlayerId));
        var outcome = await player.ExecuteAsync(
            new AccruePoints(State.Points.Value, LoyaltySources.RatingSlip, _slipId),
            new CommandContext(AccrualKey(), $"rating-slip:{_slipId}:{State.Points}", State.CompletedBy!, State.CorrelationId!));
        State.AccrualEntry = outcome.Reply?.Entry
            ?? throw new InvalidOperationException($"Accrual for slip {_slipId} answered {outcome.Status} without an entry.");
    }

    /// <summary>The accrual's idempotency key: a reserved system key, or for a slip completed before those, the key it always had.</summary>
    private string AccrualKey() => State.SystemAccrualKey ? SystemKeys.For("rating-slip", _slipId, "accrue") : $"rating-slip:{_slipId}";

    private Task<IGrainReminder> RegisterRetryReminderAsync() =>
        this.RegisterOrUpdateReminder(RetryReminder, options.Value.AccrualRetryPeriod, options.Value.AccrualRetryPeriod);

    private async Task UnregisterRetryReminderAsync()
    {
        if (await this.GetReminder(RetryReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accrual for rating slip {SlipId} failed (attempt {Attempts}); now {Accrual}")]
    private static partial void LogAccrualFailed(ILogger logger, Exception error, string slipId, int attempts, AccrualStatus accrual);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving rating slip {SlipId} failed; retiring the activation")]
    private static partial void LogPersistFailed(ILogger logger, Exception error, string slipId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Manual loyalty recovery of rating slip {SlipId} by {Actor}")]
    private static partial void LogManualRecovery(ILogger logger, string slipId, string actor);
}
