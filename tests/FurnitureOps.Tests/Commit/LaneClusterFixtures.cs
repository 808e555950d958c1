using FurnitureOps.Grains.Ledger.Commit;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FurnitureOps.Tests.Commit;

/// <summary>
/// A silo whose commit pipeline has a single lane, so a test can hold that lane's transaction on a row lock,
/// let writes of many grains queue behind it, and know they will share the next transaction.
/// </summary>
public sealed class OneLaneClusterFixture() : GrainClusterFixture(new Dictionary<string, string?> { ["Storage:Connections:CommitLanes"] = "1" })
{
    public CommitPipeline Pipeline => SiloServices.GetRequiredService<CommitPipeline>();

    /// <summary>
    /// Locks the state row of <paramref name="sku"/> and returns once <paramref name="start"/> has put the lane's
    /// transaction waiting on that lock. Disposing the result releases it.
    /// </summary>
    public async Task<IAsyncDisposable> HoldLaneAsync(string tenant, string sku, Func<Task> start)
    {
        var held = await RowLock.TakeAsync(Database, tenant, sku);
        _ = start();
        await held.UntilWaitedOnAsync();
        return held;
    }

    /// <summary>Waits until <paramref name="count"/> writes queue behind the held transaction.</summary>
    public Task UntilQueuedAsync(int count) =>
        Poll.UntilAsync(() => Task.FromResult(Pipeline.Queued >= count), $"{count} writes are queued in the commit lane");
}

[CollectionDefinition(Name)]
public sealed class OneLaneClusterDefinition : ICollectionFixture<OneLaneClusterFixture>
{
    public const string Name = "one-lane cluster";
}

/// <summary>A silo whose commit pipeline has two lanes (the default is one): grains spread over lanes, each lane batching its own.</summary>
public sealed class TwoLaneClusterFixture() : GrainClusterFixture(new Dictionary<string, string?> { ["Storage:Connections:CommitLanes"] = "2" });

[CollectionDefinition(Name)]
public sealed class TwoLaneClusterDefinition : ICollectionFixture<TwoLaneClusterFixture>
{
    public const string Name = "two-lane cluster";
}
