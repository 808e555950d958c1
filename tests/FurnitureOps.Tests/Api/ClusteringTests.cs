using FurnitureOps.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FurnitureOps.Tests.Api;

/// <summary>
/// Our PostgreSQL queries for the Orleans ADO.NET clustering provider, proven by the provider itself:
/// silos join and leave through the membership table and a client finds them as gateways.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class ClusteringTests(ApiFixture api)
{
    [Fact]
    public async Task SilosJoinAndLeaveThroughTheMembershipTable()
    {
        var clusterId = $"membership-{Guid.NewGuid():N}";
        var first = await SiloHost.StartAsync(api.ConnectionString, clusterId);
        var second = await SiloHost.StartAsync(api.ConnectionString, clusterId);

        var management = first.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var hosts = await management.GetHosts(onlyActive: true);
        var activeRows = await Membership.CountAsync(api.Database, clusterId, SiloStatus.Active);

        Assert.Equal(2, hosts.Count);
        Assert.Equal(2, activeRows);
        Assert.True(await LedgerRows.ScalarAsync(api.Database,
            "SELECT version FROM orleans_membership_version WHERE deployment_id = $1", clusterId) >= 2);

        await second.StopAsync();
        await second.DisposeAsync();

        Assert.Equal(1, await Membership.CountAsync(api.Database, clusterId, SiloStatus.Active));
        Assert.Equal(1, await Membership.CountAsync(api.Database, clusterId, SiloStatus.Dead));
        await first.StopAsync();
        await first.DisposeAsync();
    }

    [Fact]
    public async Task ApiFindsTheSiloAsAGatewayAndCallsGrains()
    {
        var client = api.Client($"t-{Guid.NewGuid():N}");

        var response = await client.PostJsonAsync("/v1/inventory", new { sku = "GATEWAY-1", name = "n", onHand = 1 });

        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, await LedgerRows.ScalarAsync(api.Database,
            "SELECT count(*) FROM orleans_membership WHERE deployment_id = $1 AND status = 3 AND proxy_port > 0", api.ClusterId));
    }
}
