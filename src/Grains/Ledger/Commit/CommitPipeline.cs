using FurnitureOps.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FurnitureOps.Grains.Ledger.Commit;

/// <summary>
/// The silo's one way to commit ledger writes: grains hand their decided flush to it instead of opening a
/// transaction, and it commits the flushes of many grains together (<see cref="SharedTransaction"/>) over
/// <see cref="ConnectionBudget.CommitLanes"/> lanes of one connection each. A grain always uses the same lane,
/// and has at most one write in flight, so its own flushes commit in order. Its caller is answered only after
/// the commit.
/// </summary>
public sealed class CommitPipeline : IAsyncDisposable
{
    private readonly CommitLane[] _lanes;
    private readonly NpgsqlDataSource _dataSource;

    public CommitPipeline(
        PostgresConnections connections,
        PostgresStorage storage,
        IOptions<CommitOptions> options,
        ILogger<CommitPipeline> logger)
    {
        _dataSource = connections.Create(PostgresConnections.Commit);
        _lanes = [.. Enumerable.Range(0, connections.Budget.CommitLanes)
            .Select(index => new CommitLane(index, _dataSource, storage, options.Value, logger))];
        CommitMetrics.Observe(() => Queued);
    }

    /// <summary>Grain writes waiting for a transaction, all lanes together.</summary>
    public int Queued => _lanes.Sum(lane => lane.Queued);

    /// <summary>Commits <paramref name="write"/> in the next transaction of its lane; infrastructure failures throw.</summary>
    public Task<CommitResult> CommitAsync(EntityWrite write) => LaneOf(write).CommitAsync(write);

    public async ValueTask DisposeAsync()
    {
        foreach (var lane in _lanes)
        {
            await lane.DisposeAsync();
        }

        await _dataSource.DisposeAsync();
    }

    private CommitLane LaneOf(EntityWrite write) =>
        _lanes[(int)((uint)HashCode.Combine(write.Tables.EntityType, write.TenantId, write.EntityId) % (uint)_lanes.Length)];
}
