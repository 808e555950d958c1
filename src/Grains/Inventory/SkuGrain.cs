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
public sealed class SkuGrain(
    PostgresStorage storage,
    CommitPipeline pipeline,
    IOptions<LedgerOptions> options,
    GrainClock clock,
    ILogger<SkuGrain> logger) : Grain, ISkuGrain
{
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

    public Task<CommandOutcome<SkuReply>> ExecuteAsync(SkuCommand command, CommandContext context) =>
        _ledger.SubmitAsync(command, context);

    public Task<SkuSnapshot?> GetAsync() =>
        Task.FromResult(_ledger.State.Exists ? _ledger.State.ToSnapshot(_sku) : null);

    public Task<IReadOnlyList<SkuLedgerEntry>> GetLedgerAsync(long afterVersion, int limit) =>
        _store.ReadLedgerAsync(afterVersion, limit, CancellationToken.None);
}
