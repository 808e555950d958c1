using FurnitureOps.Grains.Interfaces.RatingSlips;
using Orleans.Concurrency;

namespace FurnitureOps.Grains.RatingSlips;

/// <summary>The operators' list of rating slips whose accrual waits (<see cref="RatingSlipAttentionStore"/>).</summary>
[StatelessWorker]
public sealed class RatingSlipAttentionGrain(RatingSlipAttentionStore store) : Grain, IRatingSlipAttentionGrain
{
    public Task<IReadOnlyList<RatingSlipAttentionItem>> ListAsync(string tenantId, int limit) => store.ListAsync(tenantId, limit);
}
