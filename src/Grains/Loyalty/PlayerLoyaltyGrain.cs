using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Grains.Ledger;
using FurnitureOps.Grains.Ledger.Commit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using FurnitureOps.Grains.Storage;
using Orleans.Concurrency;

namespace FurnitureOps.Grains.Loyalty;

/// <summary>
/// One player's loyalty balance in one tenant. Same shape as the SKU grain: reentrant so commands queue
/// during a flush, every change through the shared <see cref="LedgerWritePath{TState,TCommand,TReply}"/>; its
/// points holds expire like a SKU's reservations.
/// </summary>
[Reentrant]
public sealed partial class PlayerLoyaltyGrain(
    PostgresStorage storage,
    CommitPipeline pipeline,
    IOptions<LedgerOptions> ledgerOptions,
    IOptions<LoyaltyOptions> loyaltyOptions,
    GrainClock clock,
    ILogger<PlayerLoyaltyGrain> logger) : Grain, IPlayerLoyaltyGrain
{
    /// <summary>Who the ledger and audit name for a hold's expiry: the system, not a client.</summary>
    public const string ExpiryActor = "system:points-hold-expiry";

    private readonly TierLadder _tiers = new(loyaltyOptions.Value.EffectiveTiers);
    private PlayerLedgerStore _store = null!;
    private LedgerWritePath<PlayerState, LoyaltyCommand, LoyaltyReply> _ledger = null!;
    private string _playerId = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (var tenantId, _playerId) = TenantKey.Parse(this.GetPrimaryKeyString());
        var businessDay = loyaltyOptions.Value.BusinessTimeZoneOf(tenantId);
        _store = new PlayerLedgerStore(storage, pipeline, tenantId, _playerId, _tiers, businessDay);
        _ledger = new LedgerWritePath<PlayerState, LoyaltyCommand, LoyaltyReply>(
            new LoyaltyRules(_playerId, _tiers, businessDay), _store, ledgerOptions.Value, clock.Time, this.DeactivateOnIdle, logger);
        await _ledger.LoadAsync(cancellationToken);
    }

    public async Task<CommandOutcome<LoyaltyReply>> ExecuteAsync(LoyaltyCommand command, CommandContext context)
    {
        var outcome = await _ledger.SubmitAsync(command, context);

        // The rules know only the holds still held; what became of another one is in its row.
        if (outcome.Reply?.Rejection is { Code: LoyaltyRejection.HoldNotHeld, HoldStatus: null } && HoldOf(command) is { } id)
        {
            var row = await _store.ReadHoldAsync(id, CancellationToken.None);
            var rejection = row is null
                ? new LoyaltyRejection(LoyaltyRejection.HoldNotFound)
                : outcome.Reply.Rejection with { HoldStatus = row.Status };
            return outcome with { Reply = outcome.Reply with { Rejection = rejection, Hold = row } };
        }

        return outcome;
    }

    public Task<PlayerLoyalty?> GetAsync() =>
        Task.FromResult(_ledger.State.Exists ? _ledger.State.ToSnapshot(_playerId, _tiers) : null);

    public Task<IReadOnlyList<LoyaltyEntry>> GetLedgerAsync(long afterVersion, int limit) =>
        _store.ReadLedgerAsync(newestFirst: false, afterVersion, limit, CancellationToken.None);

    public Task<IReadOnlyList<LoyaltyEntry>> GetLedgerNewestFirstAsync(long? beforeVersion, int limit) =>
        _store.ReadLedgerAsync(newestFirst: true, beforeVersion ?? long.MaxValue, limit, CancellationToken.None);

    public async Task<PointsHoldView?> GetHoldAsync(Guid holdId) =>
        _ledger.State.HeldPoints.TryGetValue(holdId, out var held)
            ? held
            : await _store.ReadHoldAsync(holdId, CancellationToken.None);

    public async Task<int> ExpireDueHoldsAsync()
    {
        var now = clock.Time.GetUtcNow();
        var due = _ledger.State.HeldPoints.Values.Where(held => held.ExpiresAt <= now).Select(held => held.HoldId).ToList();
        var expired = await HoldExpiry.ExpireAsync(_ledger, "points-hold", ExpiryActor, due, id => new ExpirePointsHold(id),
            reply => reply.Entry is not null);
        if (expired > 0)
        {
            LogExpired(logger, expired, _playerId);
        }

        return expired;
    }

    private static Guid? HoldOf(LoyaltyCommand command) => command switch
    {
        CommitPointsHold commit => commit.HoldId,
        ReleasePointsHold release => release.HoldId,
        ExpirePointsHold expire => expire.HoldId,
        _ => null,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Expired {Count} points holds of player {PlayerId}")]
    private static partial void LogExpired(ILogger logger, int count, string playerId);
}
