using FurnitureOps.Grains.Interfaces.Health;
using FurnitureOps.Grains.Storage;
using Orleans.Concurrency;

namespace FurnitureOps.Grains.Health;

/// <summary>Runs the PostgreSQL probe on whichever silo is asked (a stateless worker).</summary>
[StatelessWorker]
public sealed class StorageHealthGrain(PostgresProbe probe) : Grain, IStorageHealthGrain
{
    public Task<string?> FailureAsync() => probe.FailureAsync(PostgresProbe.DefaultTimeout, CancellationToken.None);
}
