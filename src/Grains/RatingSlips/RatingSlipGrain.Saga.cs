using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Grains.Interfaces.RatingSlips;
using FurnitureOps.Grains.Storage;
using FurnitureOps.Grains.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace FurnitureOps.Grains.RatingSlips;

/// <summary>
/// The saga's forward step after a slip closes: the accrual, with the slip id as its business key, so the
/// player grain makes it at most once whoever retries it (the completion, its event and the accrual being due
/// were committed together before it).
/// </summary>
public sealed partial class RatingSlipGrain
{
    // The longest wait between automatic accrual attempts, in retry periods.
    private const int MaxBackoffMultiplier = 32;

    public async Task ResumeAsync()
    {
        if (_row.Exists && State.Accrual == AccrualStatus.Pending)
        {
            await TryAccrueAsync();
            await SaveAsync();
        }
    }

    /// <summary>
    /// Makes the accrual once; on failure counts the attempt and sets the next with the shared backoff. The
    /// caller saves the outcome.
    /// </summary>
    private async Task TryAccrueAsync()
    {
        try
        {
            await AccrueAsync();
            State.Accrual = AccrualStatus.Accrued;
            State.NextAttemptAt = null;
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            State.AccrualAttempts++;
            var retry = options.Value.AccrualRetryPeriod;
            State.NextAttemptAt = clock.Time.GetUtcNow() + RetryBackoff.After(State.AccrualAttempts, retry, retry * MaxBackoffMultiplier);
            State.Accrual = State.AccrualAttempts >= options.Value.MaxAccrualAttempts ? AccrualStatus.Stalled : AccrualStatus.Pending;
            LogAccrualFailed(logger, error, _slipId, State.AccrualAttempts, State.Accrual);
        }
    }

    /// <summary><c>rating_slip.completed.v1</c>, committed with the slip's completion.</summary>
    private OutboxRow CompletionEvent() => new(
        OutboxRows.StableEventId($"rating_slip.completed:{_tenantId}/{_slipId}"), _tenantId, "rating_slip.completed.v1", "rating_slip",
        _slipId, AggregateVersion: 1,
        LedgerJson.SerializeObject(new RatingSlipCompleted(_slipId, State.PlayerId, State.Game, State.AverageBet, State.MinutesPlayed!.Value, State.Points!.Value)),
        State.CompletedAt!.Value, State.CorrelationId!);

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accrual for rating slip {SlipId} failed (attempt {Attempts}); now {Accrual}")]
    private static partial void LogAccrualFailed(ILogger logger, Exception error, string slipId, int attempts, AccrualStatus accrual);

    [LoggerMessage(Level = LogLevel.Information, Message = "Manual loyalty recovery of rating slip {SlipId} by {Actor}")]
    private static partial void LogManualRecovery(ILogger logger, string slipId, string actor);
}
