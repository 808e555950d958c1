using FurnitureOps.Grains.Interfaces.Pos;
using Orleans.Concurrency;

namespace FurnitureOps.Grains.Pos;

/// <summary>The operators' list of POS events that need attention (<see cref="PosAttentionStore"/>).</summary>
[StatelessWorker]
public sealed class PosAttentionGrain(PosAttentionStore store) : Grain, IPosAttentionGrain
{
    public Task<IReadOnlyList<PosAttentionItem>> ListAsync(string tenantId, int limit) => store.ListAsync(tenantId, limit);
}
