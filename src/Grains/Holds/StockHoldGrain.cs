using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Holds;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Ledger.Commit;
using FurnitureOps.Grains.Sagas;
using FurnitureOps.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FurnitureOps.Grains.Holds;

/// <summary>
/// A multi-line stock hold, kept in its <c>stock_holds</c> row (<see cref="Table"/>). Not reentrant: the
/// hold's commands and the sweeper's resumes run one at a time, so its steps never interleave. Every step is
/// committed as the hold's status before it runs and can be run again from the start (each line's effect is
/// under a system key of its own, so a second run replays), so a step that a crash or failure interrupted
/// is finished by whoever comes next: the client's retry or the sweeper. The steps are in
/// <c>StockHoldGrain.Steps.cs</c>.
/// </summary>
public sealed partial class StockHoldGrain(
    PostgresStorage storage,
    CommitPipeline pipeline,
    IOptions<StockHoldOptions> options,
    GrainClock clock,
    ILogger<StockHoldGrain> logger) : Grain, IStockHoldGrain
{
    public static readonly SagaTable Table = new("stock_hold", "stock_holds", "hold_id",
        finishedStatuses: [StockHoldStatus.Refused, StockHoldStatus.Committed, StockHoldStatus.Released, StockHoldStatus.Expired]);

    /// <summary>
    /// How long a line's reservation outlives its hold. The hold refuses a commit from its expiry time on, and
    /// expires its lines itself then; the margin lets a commit that started just before that time sell every
    /// line, instead of racing the SKUs' own expiry of some of them.
    /// </summary>
    public static readonly TimeSpan LineExpiryMargin = TimeSpan.FromMinutes(1);

    private const string RetryAdvice = "The hold could not be saved; retry with the same Idempotency-Key.";

    private string _tenantId = null!;
    private Guid _holdId;
    private SagaRow<StockHoldState> _row = null!;

    private StockHoldState State => _row.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenantId, var holdId) = TenantKey.Parse(this.GetPrimaryKeyString());
        _holdId = Guid.Parse(holdId);
        _row = new SagaRow<StockHoldState>(storage, pipeline, Table, _tenantId, holdId, logger);
        await _row.LoadAsync(cancellationToken);
    }

    public async Task<CommandOutcome<StockHoldReply>> PlaceAsync(PlaceStockHold command, CommandContext context)
    {
        if (Remembered(context) is { } remembered)
        {
            return remembered;
        }

        if (_row.Exists && State.PlacementKey != context.IdempotencyKey)
        {
            return await RecordAsync(context, new StockHoldReply(null, new StockHoldRejection(StockHoldRejection.HoldExists)));
        }

        if (!_row.Exists)
        {
            var now = clock.Time.GetUtcNow();
            State.Lines = command.Lines.Select(line => new StockHoldLineState
            {
                Sku = line.Sku, Quantity = line.Quantity, ReservationId = Guid.CreateVersion7(),
            }).ToList();
            State.Reference = command.Reference;
            State.ExpiresAt = PostgresTime.Microseconds(command.ExpiresAt);
            State.CreatedAt = now;
            State.CorrelationId = context.RequestId;
            State.PlacementKey = context.IdempotencyKey;
            State.Keys[context.IdempotencyKey] = new StockHoldKeyRecord(context.Fingerprint, null);
            StartStep(StockHoldStatus.Placing, context.Actor, context.RequestId, now);

            // Durable before any line is reserved: if this silo dies between lines, the sweeper (or this
            // placement's retry) runs the placement again and the hold ends held on every line or on none.
            await SaveAsync();
        }

        await RunStepAsync();
        await SaveAsync();
        return new CommandOutcome<StockHoldReply>(State.Keys[context.IdempotencyKey].Reply, IdempotencyStatus.Fresh);
    }

    public Task<CommandOutcome<StockHoldReply>> CommitAsync(CommandContext context) =>
        ResolveAsync(context, StockHoldStatus.Committing);

    public Task<CommandOutcome<StockHoldReply>> ReleaseAsync(CommandContext context) =>
        ResolveAsync(context, StockHoldStatus.Releasing);

    public Task<StockHoldView?> GetAsync() => Task.FromResult(_row.Exists ? State.ToView(_holdId) : null);

    public async Task ResumeAsync()
    {
        if (!_row.Exists)
        {
            return;
        }

        try
        {
            await RunStepAsync();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            State.Attempts++;
            var retry = options.Value.StepRetryPeriod;
            State.NextAttemptAt = clock.Time.GetUtcNow() + RetryBackoff.After(State.Attempts, retry, retry * 32);
            LogStepFailed(logger, error, _holdId, State.Status, State.Attempts);
        }

        await SaveAsync();
    }

    /// <summary>A commit or release: starts it if the hold is held (and, for a commit, not yet due to expire), then runs it.</summary>
    private async Task<CommandOutcome<StockHoldReply>> ResolveAsync(CommandContext context, string step)
    {
        if (Remembered(context) is { } remembered)
        {
            return remembered;
        }

        if (!_row.Exists)
        {
            // Nothing to record for a hold that does not exist: recording would create it.
            return new CommandOutcome<StockHoldReply>(new StockHoldReply(null, new StockHoldRejection(StockHoldRejection.HoldNotFound)),
                IdempotencyStatus.Fresh);
        }

        var now = clock.Time.GetUtcNow();
        if (State.Status == StockHoldStatus.Held && now < State.ExpiresAt)
        {
            StartStep(step, context.Actor, context.RequestId, now);
            await SaveAsync();
        }

        // A step already under way (the same or the other one, interrupted) is finished first, as is a due expiry.
        await RunStepAsync();
        var resolvedAsAsked = State.Status == (step == StockHoldStatus.Committing ? StockHoldStatus.Committed : StockHoldStatus.Released);
        return await RecordAsync(context, new StockHoldReply(State.ToView(_holdId),
            resolvedAsAsked ? null : new StockHoldRejection(StockHoldRejection.HoldNotHeld, HoldStatus: State.Status)));
    }

    private void StartStep(string status, string actor, string requestId, DateTimeOffset now)
    {
        State.Status = status;
        State.StepActor = actor;
        State.StepRequestId = requestId;
        State.Attempts = 0;
        State.NextAttemptAt = now + options.Value.StepRetryPeriod;
    }

    private CommandOutcome<StockHoldReply>? Remembered(CommandContext context) =>
        State.Keys.TryGetValue(context.IdempotencyKey, out var record)
            ? record.Fingerprint != context.Fingerprint
                ? new CommandOutcome<StockHoldReply>(null, IdempotencyStatus.KeyReused)
                : record.Reply is { } reply
                    ? new CommandOutcome<StockHoldReply>(reply, IdempotencyStatus.Replayed)
                    : null // the placement under this key was interrupted: it runs again
            : null;

    private async Task<CommandOutcome<StockHoldReply>> RecordAsync(CommandContext context, StockHoldReply reply)
    {
        State.Keys[context.IdempotencyKey] = new StockHoldKeyRecord(context.Fingerprint, reply);
        await SaveAsync();
        return new CommandOutcome<StockHoldReply>(reply, IdempotencyStatus.Fresh);
    }

    /// <summary>
    /// Commits the hold's row. The sweeper's while a step is under way (at the step's next attempt) and while
    /// held (at the expiry time); a hold that ended is the sweeper's no more.
    /// </summary>
    private Task SaveAsync()
    {
        DateTimeOffset? due = State.Status switch
        {
            StockHoldStatus.Held => State.ExpiresAt,
            StockHoldStatus.Placing or StockHoldStatus.Committing or StockHoldStatus.Releasing or StockHoldStatus.Expiring => State.NextAttemptAt,
            _ => null,
        };
        return _row.SaveAsync(this, State.Status, due, clock.Time.GetUtcNow(), [], RetryAdvice);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stock hold {HoldId}: the {Status} step failed (attempt {Attempts}); the sweeper retries it")]
    private static partial void LogStepFailed(ILogger logger, Exception error, Guid holdId, string status, int attempts);
}
