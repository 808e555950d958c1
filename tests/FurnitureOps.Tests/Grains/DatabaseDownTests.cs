using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains;
using FurnitureOps.Grains.Interfaces.Audit;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;

namespace FurnitureOps.Tests.Grains;

/// <summary>
/// A silo whose PostgreSQL refuses connections (nothing listens on its port): every call that needs the
/// database fails with the retryable <see cref="StorageUnavailableException"/>, never a driver exception.
/// </summary>
public sealed class DatabaseDownTests : IAsyncLifetime
{
    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = $"Host=127.0.0.1;Port={Ports.Free()};Username=nobody;Timeout=2",
        }));
        builder.ConfigureSilo((_, silo) => silo.Services.AddFurnitureOpsGrains());
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task ActivationWithoutTheDatabaseIsStorageUnavailable()
    {
        var sku = _cluster.Client.GetGrain<ISkuGrain>(TenantKey.Format("t", "DOWN-1"));

        await Assert.ThrowsAsync<StorageUnavailableException>(() =>
            sku.ExecuteAsync(new SellStock(1, null), new CommandContext("k", "f", "tester", "r")));
        await Assert.ThrowsAsync<StorageUnavailableException>(sku.GetAsync);
    }

    [Fact]
    public async Task ReadsWithoutTheDatabaseAreStorageUnavailable()
    {
        var audit = _cluster.Client.GetGrain<IAuditLogGrain>(0);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => audit.QueryAsync(new AuditQuery("t", null, null, 0, 10)));
    }
}
