using FurnitureOps.Grains.Ledger.Commit;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FurnitureOps.Tests.Commit;

/// <summary>
/// A silo whose commit pipeline has a single lane, so a test can hold that lane's transaction on a row lock,
/// let writes of many grains queue behind it, and know they will share the next transaction.
/// </summary>
public sealed class OneLaneClusterFixture() : GrainClusterFixture(new Dictionary<string, string?> { ["Storage:Connections:CommitLanes"] = "1" })
{
    public CommitPipeline Pipeline => SiloServices.GetRequiredService<CommitPipeline>();

    /// <summary>
    /// Locks the state row of <paramref name="sku"/> from a connection of the test's own and returns once
    /// <paramref name="start"/> has put the lane's transaction waiting on that lock. Disposing the result releases it.
    /// </summary>
    public async Task<IAsyncDisposable> HoldLaneAsync(string tenant, string sku, Func<Task> start)
    {
        var connection = await Database.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand(
            "SELECT pg_backend_pid() FROM inventory_items WHERE tenant_id = $1 AND sku = $2 FOR UPDATE", connection, transaction))
        {
            lockRow.Parameters.Add(new() { Value = tenant });
            lockRow.Parameters.Add(new() { Value = sku });
            var holder = (int)(await lockRow.ExecuteScalarAsync())!;
            _ = start();
            await Poll.UntilAsync(
                async () => await LedgerRows.ScalarAsync(Database,
                    "SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))", holder) > 0,
                "the commit lane waits on the held row");
        }

        return new Held(connection, transaction);
    }

    /// <summary>Waits until <paramref name="count"/> writes queue behind the held transaction.</summary>
    public Task UntilQueuedAsync(int count) =>
        Poll.UntilAsync(() => Task.FromResult(Pipeline.Queued >= count), $"{count} writes are queued in the commit lane");

    private sealed class Held(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await transaction.CommitAsync();
            await connection.DisposeAsync();
        }
    }
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
