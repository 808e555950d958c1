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
/// during a flush, every change through the shared <see cref="LedgerWritePath{TState,TCommand,TReply}"/>.
/// </summary>
[Reentrant]
public sealed class PlayerLoyaltyGrain(
    PostgresStorage storage,
    CommitPipeline pipeline,
    IOptions<LedgerOptions> ledgerOptions,
    IOptions<LoyaltyOptions> loyaltyOptions,
    GrainClock clock,
    ILogger<PlayerLoyaltyGrain> logger) : Grain, IPlayerLoyaltyGrain
{
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

    public Task<CommandOutcome<LoyaltyReply>> ExecuteAsync(LoyaltyCommand command, CommandContext context) =>
        _ledger.SubmitAsync(command, context);

    public Task<PlayerLoyalty?> GetAsync() =>
        Task.FromResult(_ledger.State.Exists ? _ledger.State.ToSnapshot(_playerId, _tiers) : null);

    public Task<IReadOnlyList<LoyaltyEntry>> GetLedgerAsync(long afterVersion, int limit) =>
        _store.ReadLedgerAsync(afterVersion, limit, CancellationToken.None);
}
