using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Cluster;

/// <summary>
/// The API keeps serving after the silo it was connected through dies: its client opens a connection to
/// another gateway instead of staying disconnected.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class ApiReconnectTests(ApiFixture api)
{
    private readonly string _tenant = $"t-{Guid.NewGuid():N}";
    private readonly string _clusterId = $"reconnect-{Guid.NewGuid():N}";

    [Fact]
    public async Task ApiServesAgainAfterItsOnlyGatewayConnectionDies()
    {
        // The API first knows one silo only, so every connection it holds is to that silo.
        await using var first = StartSilo();
        await using var intake = api.CreateApi(_clusterId);
        var client = intake.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token(_tenant, []));
        await ApiFixture.WaitUntilReadyAsync(client);
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/v1/inventory", new { sku = "S1", name = "Oak chair", onHand = 5 })).StatusCode);

        await using var second = StartSilo();
        await Poll.UntilAsync(async () => await Membership.CountAsync(api.Database, _clusterId, SiloStatus.Active) == 2, "the second silo joined");
        await first.Process.KillAsync();
        await Poll.UntilAsync(async () => await Membership.CountAsync(api.Database, _clusterId, SiloStatus.Dead) == 1, "the killed silo was declared dead", TimeSpan.FromMinutes(2));

        // Within a few gateway-list refreshes of the death (ClusterDefaults.GatewayListRefreshPeriod); a client that
        // waited for some background call to reconnect it took about a minute here.
        await Poll.UntilAsync(async () => (await client.GetAsync("/v1/inventory/S1")).StatusCode == HttpStatusCode.OK,
            "the API served the SKU again through the surviving silo", TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
    }

    private SiloProcess StartSilo() =>
        SiloProcess.Start(api.ConnectionString, _clusterId, new Dictionary<string, string> { ["Events__RelayEnabled"] = "false" }); // the fixture's silo relays this database
}
