using FurnitureOps.Grains.Interfaces.Pos;
using Orleans.Concurrency;

namespace FurnitureOps.Grains.Pos;

/// <summary>The operators' lists of POS events: those that need attention (<see cref="PosAttentionStore"/>) and those still pending (<see cref="PosPendingStore"/>).</summary>
[StatelessWorker]
public sealed class PosAttentionGrain(PosAttentionStore store, PosPendingStore pending) : Grain, IPosAttentionGrain
{
    public Task<IReadOnlyList<PosAttentionItem>> ListAsync(string tenantId, int limit) => store.ListAsync(tenantId, limit);

    public Task<IReadOnlyList<PosPendingItem>> ListPendingAsync(string tenantId, int limit) => pending.ListAsync(tenantId, limit);
}
