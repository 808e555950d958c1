using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Ledger;
using FurnitureOps.Grains.Ledger.Commit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using FurnitureOps.Grains.Storage;
using Orleans.Concurrency;

namespace FurnitureOps.Grains.Inventory;

/// <summary>
/// One SKU of one tenant. Reentrant so that commands queue while a flush awaits its transaction; all
/// mutation goes through the single-threaded <see cref="LedgerWritePath{TState,TCommand,TReply}"/>.
/// </summary>
[Reentrant]
public sealed partial class SkuGrain(
    PostgresStorage storage,
    CommitPipeline pipeline,
    IOptions<LedgerOptions> options,
    GrainClock clock,
    ILogger<SkuGrain> logger) : Grain, ISkuGrain
{
    /// <summary>Who the ledger and audit name for an expiry: the system, not a client.</summary>
    public const string ExpiryActor = "system:reservation-expiry";

    private SkuLedgerStore _store = null!;
    private LedgerWritePath<SkuState, SkuCommand, SkuReply> _ledger = null!;
    private string _sku = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (var tenantId, _sku) = TenantKey.Parse(this.GetPrimaryKeyString());
        _store = new SkuLedgerStore(storage, pipeline, tenantId, _sku);
        _ledger = new LedgerWritePath<SkuState, SkuCommand, SkuReply>(
            new SkuRules(_sku), _store, options.Value, clock.Time, this.DeactivateOnIdle, logger);
        await _ledger.LoadAsync(cancellationToken);
    }

    public async Task<CommandOutcome<SkuReply>> ExecuteAsync(SkuCommand command, CommandContext context)
    {
        var outcome = await _ledger.SubmitAsync(command, context);

        // The rules know only the reservations still held; what became of another one is in its row.
        if (outcome.Reply?.Rejection is { Code: SkuRejection.ReservationNotHeld, ReservationStatus: null } && ReservationOf(command) is { } id)
        {
            var row = await _store.ReadReservationAsync(id, CancellationToken.None);
            var rejection = row is null
                ? new SkuRejection(SkuRejection.ReservationNotFound)
                : outcome.Reply.Rejection with { ReservationStatus = row.Status };
            return outcome with { Reply = outcome.Reply with { Rejection = rejection, Reservation = row } };
        }

        return outcome;
    }

    public Task<SkuSnapshot?> GetAsync() =>
        Task.FromResult(_ledger.State.Exists ? _ledger.State.ToSnapshot(_sku) : null);

    public Task<IReadOnlyList<SkuLedgerEntry>> GetLedgerAsync(long afterVersion, int limit) =>
        _store.ReadLedgerAsync(newestFirst: false, afterVersion, limit, CancellationToken.None);

    public Task<IReadOnlyList<SkuLedgerEntry>> GetLedgerNewestFirstAsync(long? beforeVersion, int limit) =>
        _store.ReadLedgerAsync(newestFirst: true, beforeVersion ?? long.MaxValue, limit, CancellationToken.None);

    public async Task<ReservationView?> GetReservationAsync(Guid reservationId) =>
        _ledger.State.HeldReservations.TryGetValue(reservationId, out var held)
            ? held
            : await _store.ReadReservationAsync(reservationId, CancellationToken.None);

    public async Task<int> ExpireDueAsync()
    {
        var now = clock.Time.GetUtcNow();
        var due = _ledger.State.HeldReservations.Values.Where(held => held.ExpiresAt <= now).Select(held => held.ReservationId).ToList();
        var expired = await HoldExpiry.ExpireAsync(_ledger, "reservation", ExpiryActor, due, id => new ExpireReservation(id),
            reply => reply.Item is not null);
        if (expired > 0)
        {
            LogExpired(logger, expired, _sku);
        }

        return expired;
    }

    /// <summary>
    /// The expiry of a reservation, under a system key of its own that never expires: whichever sweeper, silo,
    /// retry or stock hold sends it again, it replays and changes nothing.
    /// </summary>
    public static CommandContext ExpiryContext(Guid reservationId, string requestId) =>
        HoldExpiry.Context("reservation", reservationId, ExpiryActor, requestId);

    private static Guid? ReservationOf(SkuCommand command) => command switch
    {
        CommitReservation commit => commit.ReservationId,
        ReleaseReservation release => release.ReservationId,
        ExpireReservation expire => expire.ReservationId,
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Expired {Count} reservations of SKU {Sku}")]
    private static partial void LogExpired(ILogger logger, int count, string sku);
}
