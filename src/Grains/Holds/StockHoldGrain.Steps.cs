using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Holds;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Inventory;

namespace FurnitureOps.Grains.Holds;

/// <summary>
/// The hold's steps. Each sends one effect per line to the line's SKU, one line after the other, and can be run
/// again from the start: every line's effect is under a system key of its own (<see cref="LineContext"/>), so a
/// second run replays what the first did and only sends what it did not get to. A line's status changes only
/// when its SKU has answered.
/// </summary>
public sealed partial class StockHoldGrain
{
    /// <summary>Runs the step under way to its end; a held hold past its expiry time starts its expiry first.</summary>
    private async Task RunStepAsync()
    {
        var now = clock.Time.GetUtcNow();
        if (State.Status == StockHoldStatus.Held && now >= State.ExpiresAt)
        {
            StartStep(StockHoldStatus.Expiring, SkuGrain.ExpiryActor, State.CorrelationId, now);
            await SaveAsync();
        }

        switch (State.Status)
        {
            case StockHoldStatus.Placing:
                await PlaceLinesAsync();
                break;
            case StockHoldStatus.Committing:
                await ResolveLinesAsync(StockHoldStatus.Committed, "commit", id => new CommitReservation(id, Quantity: null));
                break;
            case StockHoldStatus.Releasing:
                // A refused placement releases what it reserved and ends refused.
                await ResolveLinesAsync(State.Refusal is null ? StockHoldStatus.Released : StockHoldStatus.Refused, "release",
                    id => new ReleaseReservation(id));
                break;
            case StockHoldStatus.Expiring:
                await ResolveLinesAsync(StockHoldStatus.Expired, "expire", id => new ExpireReservation(id));
                break;
        }

        RecordPlacementReply();
    }

    /// <summary>Reserves the lines in order; the first that cannot be reserved refuses the hold and releases the lines before it.</summary>
    private async Task PlaceLinesAsync()
    {
        for (var index = 0; index < State.Lines.Count; index++)
        {
            var line = State.Lines[index];
            var reply = await SendAsync(index, "reserve",
                new ReserveStock(line.ReservationId, line.Quantity, State.ExpiresAt + LineExpiryMargin, $"hold:{_holdId}"));
            if (reply.Item is not null)
            {
                line.Status = ReservationStatus.Held;
                continue;
            }

            var rejection = reply.Rejection!;
            line.Status = StockHoldLineState.Refused;
            foreach (var later in State.Lines.Skip(index + 1))
            {
                later.Status = StockHoldLineState.NotReserved;
            }

            State.Refusal = rejection.Code switch
            {
                SkuRejection.InsufficientStock => new StockHoldRejection(StockHoldRejection.InsufficientStock, index, rejection.Available),
                SkuRejection.SkuNotFound => new StockHoldRejection(StockHoldRejection.SkuNotFound, index),
                _ => throw new InvalidOperationException($"Reserving line {index} of hold {_holdId} answered {rejection.Code}."),
            };

            // The refusal is durable before anything is released: a rerun releases, it does not reserve again.
            StartStep(StockHoldStatus.Releasing, State.StepActor, State.StepRequestId, clock.Time.GetUtcNow());
            await SaveAsync();
            await ResolveLinesAsync(StockHoldStatus.Refused, "release", id => new ReleaseReservation(id));
            return;
        }

        State.Status = StockHoldStatus.Held;
    }

    /// <summary>Commits, releases or expires every held line; the hold then ends as <paramref name="ended"/>.</summary>
    private async Task ResolveLinesAsync(string ended, string step, Func<Guid, SkuCommand> command)
    {
        for (var index = 0; index < State.Lines.Count; index++)
        {
            var line = State.Lines[index];
            if (line.Status != ReservationStatus.Held)
            {
                continue;
            }

            var reply = await SendAsync(index, step, command(line.ReservationId));

            // Not held any more: resolved by someone else first (the SKU's own expiry; a direct call on the reservation).
            line.Status = reply.Reservation?.Status
                ?? reply.Rejection?.ReservationStatus
                ?? throw new InvalidOperationException($"The {step} of line {index} of hold {_holdId} answered {reply.Rejection?.Code}.");
        }

        State.Status = ended;
        State.ResolvedAt = clock.Time.GetUtcNow();
    }

    private async Task<SkuReply> SendAsync(int index, string step, SkuCommand command)
    {
        var line = State.Lines[index];
        var sku = GrainFactory.GetGrain<ISkuGrain>(TenantKey.Format(_tenantId, line.Sku));
        var context = command is ExpireReservation expire ? SkuGrain.ExpiryContext(expire.ReservationId, State.StepRequestId) : LineContext(index, step);
        var outcome = await sku.ExecuteAsync(command, context);
        return outcome.Reply ?? throw new InvalidOperationException($"The {step} of line {index} of hold {_holdId}: key {context.IdempotencyKey} reused.");
    }

    /// <summary>
    /// The system key of one line's step (<c>system:stock-hold/{hold}/line-{n}.{step}</c>). A line's expiry uses
    /// its reservation's own expiry key instead (<see cref="SkuGrain.ExpiryContext"/>), so the hold's expiry and
    /// the SKU's are one effect, whichever comes first.
    /// </summary>
    private CommandContext LineContext(int index, string step)
    {
        var line = State.Lines[index];
        return new CommandContext(SystemKeys.For("stock-hold", _holdId.ToString(), $"line-{index}.{step}"),
            $"stock-hold:{_holdId}:line-{index}:{step}:{line.Sku}:{line.Quantity}", State.StepActor, State.StepRequestId);
    }

    /// <summary>Once the placement has ended (held, refused, or already past), its reply is recorded under its key.</summary>
    private void RecordPlacementReply()
    {
        var placementRuns = State.Status == StockHoldStatus.Placing || (State.Status == StockHoldStatus.Releasing && State.Refusal is not null);
        if (!placementRuns && State.Keys.TryGetValue(State.PlacementKey, out var record) && record.Reply is null)
        {
            State.Keys[State.PlacementKey] = record with { Reply = new StockHoldReply(State.ToView(_holdId), State.Refusal) };
        }
    }
}
