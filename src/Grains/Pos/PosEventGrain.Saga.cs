using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Grains.Interfaces.Pos;
using FurnitureOps.Grains.Storage;
using FurnitureOps.Grains.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace FurnitureOps.Grains.Pos;

/// <summary>
/// The saga: each line is sold (or returned) on its SKU grain, then points accrue (or are reversed) on the
/// player grain. Every step carries a business key as its idempotency key on the target grain, so a step that
/// runs again after a crash or a failed attempt answers its first result and changes nothing. A refused line
/// turns the saga around: the lines applied before it are undone, last first, under their own keys.
/// </summary>
public sealed partial class PosEventGrain
{
    public async Task ResumeAsync()
    {
        await SettledAsync();
        await ReadRowAsync();
        if (_row.Exists && !State.IsFinished)
        {
            await RunSagaAsync();
        }
    }

    private List<PosStepView> PlanSteps(PosEventSubmission submission)
    {
        var lineKind = submission.Type == PosEventType.Sale ? PosStepKind.SellLine : PosStepKind.ReturnLine;
        var steps = submission.Lines
            .Select((line, index) => new PosStepView(lineKind, index + 1, line.Sku, line.Quantity, PosStepStatus.Pending, null, null))
            .ToList();
        var points = submission.Amount is { } amount ? (long)Math.Floor(amount * options.Value.PointsPerCurrencyUnit) : 0;
        if (submission.PlayerId is not null && points > 0)
        {
            var pointsKind = submission.Type == PosEventType.Sale ? PosStepKind.AccruePoints : PosStepKind.ReversePoints;
            steps.Add(new PosStepView(pointsKind, null, null, points, PosStepStatus.Pending, null, null));
        }

        return steps;
    }

    /// <summary>
    /// Runs every pending step in order, then commits the outcome with its completion event. On a failure it
    /// counts the attempt and commits when the sweeper should try again (the shared backoff).
    /// </summary>
    /// <param name="answerBeforeCompletion">
    /// Return once the steps are applied and the outcome is handed to the commit pipeline, not committed (see
    /// <see cref="_completion"/>): the first delivery's answer then waits for one commit fewer.
    /// </param>
    private async Task RunSagaAsync(bool answerBeforeCompletion = false)
    {
        IReadOnlyList<OutboxRow> events = [];
        try
        {
            // Steps may be appended while looping (compensations), so the bound is re-read every time.
            for (var index = 0; index < State.Steps.Count; index++)
            {
                var step = State.Steps[index];
                if (step.Status != PosStepStatus.Pending)
                {
                    continue;
                }

                State.Steps[index] = await ApplyAsync(step);
                if (State.Steps[index].Status == PosStepStatus.Refused && step.Kind is PosStepKind.SellLine or PosStepKind.ReturnLine)
                {
                    TurnAround(index, State.Steps[index].Code!);
                }
            }

            var outcome = Outcome();
            if (outcome == PosEventStatus.NeedsAttention)
            {
                var refused = State.Steps.First(step => step is { Kind: PosStepKind.CompensateLine, Status: PosStepStatus.Refused });
                await attention.RaiseAsync(_tenantId, _eventId, State.Submission.Source, refused.Code!, State.RequestId, clock.Time.GetUtcNow());
                LogNeedsAttention(logger, _eventId, refused.Sku!, refused.Code!);
            }

            State.Status = outcome;
            State.CompletedAt = clock.Time.GetUtcNow();
            State.NextAttemptAt = null;
            events = [CompletionEvent(outcome)];
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            State.Attempts++;
            State.LastError = $"{error.GetType().Name}: {error.Message}";
            State.NextAttemptAt = clock.Time.GetUtcNow() + RetryBackoff.After(State.Attempts, options.Value.RetryPeriod, options.Value.MaxRetryBackoff);
            LogStepFailed(logger, error, _eventId, State.Attempts);
        }

        var saved = SaveAsync(State.NextAttemptAt, clock.Time.GetUtcNow(), events);
        if (!State.IsFinished)
        {
            await saved;
            return;
        }

        _completion = ReleaseWhenCommittedAsync(saved);
        if (!answerBeforeCompletion)
        {
            await _completion;
        }
    }

    private async Task ReleaseWhenCommittedAsync(Task saved)
    {
        await saved;
        ReleaseIntakeSlot();
    }

    /// <summary>
    /// Waits for a completion that was still committing when its caller was answered. If it failed, this call
    /// fails too, with the retryable error: the activation is retiring (its memory is ahead of the row), and the
    /// next one reads the row, still unfinished, whose saga the sweeper or a resend then finishes by replaying
    /// the steps' keys.
    /// </summary>
    private Task SettledAsync() => _completion ?? Task.CompletedTask;

    private PosEventStatus Outcome() =>
        State.Steps.Any(step => step is { Kind: PosStepKind.CompensateLine, Status: PosStepStatus.Refused }) ? PosEventStatus.NeedsAttention
        : State.RejectionCode is null ? PosEventStatus.Applied
        : PosEventStatus.Rejected;

    /// <summary>A line was refused: skip what is left and undo the lines already applied, last first.</summary>
    private void TurnAround(int refusedIndex, string code)
    {
        State.Status = PosEventStatus.Compensating;
        State.RejectionCode = code;
        for (var later = refusedIndex + 1; later < State.Steps.Count; later++)
        {
            State.Steps[later] = State.Steps[later] with { Status = PosStepStatus.Skipped };
        }

        for (var earlier = refusedIndex - 1; earlier >= 0; earlier--)
        {
            if (State.Steps[earlier] is { Status: PosStepStatus.Applied, Kind: PosStepKind.SellLine or PosStepKind.ReturnLine } applied)
            {
                State.Steps.Add(new PosStepView(PosStepKind.CompensateLine, applied.LineNo, applied.Sku, applied.Quantity,
                    PosStepStatus.Pending, null, null));
            }
        }
    }

    private async Task<PosStepView> ApplyAsync(PosStepView step)
    {
        var eventId = _eventId.ToString();
        var orderRef = $"pos:{eventId}";
        return step.Kind switch
        {
            PosStepKind.SellLine => await OnSkuAsync(step, new SellStock(step.Quantity, orderRef),
                StepKey($"line-{step.LineNo}", $"{eventId}:{step.LineNo}")),
            PosStepKind.ReturnLine => await OnSkuAsync(step, new ReturnStock(step.Quantity, orderRef),
                StepKey($"line-{step.LineNo}", $"{eventId}:{step.LineNo}")),
            PosStepKind.CompensateLine => await OnSkuAsync(step,
                State.Submission.Type == PosEventType.Sale ? new ReturnStock(step.Quantity, orderRef) : new SellStock(step.Quantity, orderRef),
                StepKey($"line-{step.LineNo}-compensate", $"{eventId}:{step.LineNo}:compensate")),
            PosStepKind.AccruePoints => await OnPlayerAsync(step, new AccruePoints(step.Quantity, LoyaltySources.Pos, eventId),
                StepKey("accrue", $"pos:{eventId}")),
            PosStepKind.ReversePoints => await OnPlayerAsync(step, new ReversePoints(step.Quantity, LoyaltySources.PosReturn, eventId),
                StepKey("reverse", $"pos_return:{eventId}")),
            _ => throw new ArgumentOutOfRangeException(nameof(step), step.Kind, "Unknown POS step."),
        };
    }

    /// <summary>The step's idempotency key: a reserved system key, or for an event accepted before those, the key it always had.</summary>
    private string StepKey(string step, string keyBeforeSystemKeys) =>
        State.SystemStepKeys ? SystemKeys.For("pos", _eventId.ToString(), step) : keyBeforeSystemKeys;

    private async Task<PosStepView> OnSkuAsync(PosStepView step, SkuCommand command, string key)
    {
        var sku = GrainFactory.GetGrain<ISkuGrain>(TenantKey.Format(_tenantId, step.Sku!));
        var outcome = await sku.ExecuteAsync(command, StepContext(key, step));
        var reply = outcome.Reply ?? throw new InvalidOperationException($"Step key {key} was used for another command.");
        return reply.Item is { } item
            ? step with { Status = PosStepStatus.Applied, LedgerVersion = item.Version }
            : step with { Status = PosStepStatus.Refused, Code = reply.Rejection!.Code };
    }

    private async Task<PosStepView> OnPlayerAsync(PosStepView step, LoyaltyCommand command, string key)
    {
        var player = GrainFactory.GetGrain<IPlayerLoyaltyGrain>(TenantKey.Format(_tenantId, State.Submission.PlayerId!));
        var outcome = await player.ExecuteAsync(command, StepContext(key, step));
        var reply = outcome.Reply ?? throw new InvalidOperationException($"Step key {key} was used for another command.");
        return reply switch
        {
            { Entry: { } entry } => step with { Status = PosStepStatus.Applied, Quantity = entry.Points, LedgerVersion = entry.Version },
            { Rejection.Code: LoyaltyRejection.NothingToReverse } => step with { Status = PosStepStatus.Skipped, Code = LoyaltyRejection.NothingToReverse },
            _ => step with { Status = PosStepStatus.Refused, Code = reply.Rejection!.Code },
        };
    }

    // The fingerprint names what the step does, so the same key can never carry a different effect.
    private CommandContext StepContext(string key, PosStepView step) =>
        new(key, $"pos-step:{step.Kind}:{step.Sku}:{step.Quantity}", State.Actor, State.RequestId);

    /// <summary>The event's completion (<c>pos.event_applied.v1</c>, <c>…_rejected.v1</c> or <c>…_needs_attention.v1</c>), committed with the outcome.</summary>
    private OutboxRow CompletionEvent(PosEventStatus outcome)
    {
        var type = outcome switch
        {
            PosEventStatus.Applied => "pos.event_applied.v1",
            PosEventStatus.NeedsAttention => "pos.event_needs_attention.v1",
            _ => "pos.event_rejected.v1",
        };
        var submission = State.Submission;
        var payload = new PosEventCompleted(_eventId, submission.Source, submission.Type == PosEventType.Sale ? "sale" : "return",
            outcome switch { PosEventStatus.Applied => "applied", PosEventStatus.NeedsAttention => "needsAttention", _ => "rejected" },
            State.RejectionCode, submission.Lines, submission.PlayerId, submission.Amount, submission.OccurredAt);
        return new OutboxRow(OutboxRows.StableEventId($"pos.event_completed:{_tenantId}/{_eventId}"), _tenantId, type, "pos_event",
            _eventId.ToString(), AggregateVersion: 1, LedgerJson.SerializeObject(payload), State.CompletedAt!.Value, State.RequestId);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "POS event {EventId} needs attention: undoing its line on {Sku} was refused ({Code}); stock or points stay off by that line until an operator resolves it")]
    private static partial void LogNeedsAttention(ILogger logger, Guid eventId, string sku, string code);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A step of POS event {EventId} failed (attempt {Attempts}); the sagas' sweeper retries it")]
    private static partial void LogStepFailed(ILogger logger, Exception error, Guid eventId, int attempts);
}
