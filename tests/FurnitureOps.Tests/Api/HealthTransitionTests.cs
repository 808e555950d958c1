using System.Net;
using System.Text.Json;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary>
/// Readiness follows PostgreSQL: stopped → silo and API answer 503 with the failing check named; restarted →
/// 200 again, without restarting either. Runs on a PostgreSQL server, silo and API of its own.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class HealthTransitionTests(ApiFixture api)
{
    [Fact]
    public async Task ReadinessTurns503WhilePostgresIsDownAndRecoversAfterItsRestart()
    {
        var (server, connections) = await TestDatabase.CreateWithServerAsync(durable: false);
        var clusterId = $"health-{Guid.NewGuid():N}";
        var silo = await SiloHost.StartAsync(connections.App, clusterId);
        await using var instance = api.CreateApi(clusterId, new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connections.App });
        var apiClient = instance.CreateClient();
        using var siloClient = new HttpClient { BaseAddress = new Uri(silo.Urls.First()) };
        try
        {
            await ApiFixture.WaitUntilReadyAsync(apiClient);
            Assert.Equal(HttpStatusCode.OK, (await siloClient.GetAsync("/health/ready")).StatusCode);

            await server.StopAsync();
            var siloDown = await WaitForStatusAsync(siloClient, HttpStatusCode.ServiceUnavailable);
            var apiDown = await WaitForStatusAsync(apiClient, HttpStatusCode.ServiceUnavailable);

            await server.StartAgainAsync();
            var siloBack = await WaitForStatusAsync(siloClient, HttpStatusCode.OK);
            var apiBack = await WaitForStatusAsync(apiClient, HttpStatusCode.OK);

            Assert.Equal("Unhealthy", siloDown.GetProperty("entries").GetProperty("postgres").GetProperty("status").GetString());
            Assert.Equal("Unhealthy", apiDown.GetProperty("entries").GetProperty("postgres").GetProperty("status").GetString());
            Assert.Equal("Healthy", siloDown.GetProperty("entries").GetProperty("shutdown").GetProperty("status").GetString());
            Assert.Equal("Healthy", siloBack.GetProperty("status").GetString());
            Assert.Equal("Healthy", apiBack.GetProperty("status").GetString());
        }
        finally
        {
            await silo.StopAsync();
            await silo.DisposeAsync();
        }
    }

    /// <summary>Polls readiness until it answers the wanted status (bounded at 30 s) and returns that report.</summary>
    private static async Task<JsonElement> WaitForStatusAsync(HttpClient client, HttpStatusCode wanted)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var response = await client.GetAsync("/health/ready", timeout.Token);
            if (response.StatusCode == wanted)
            {
                return await response.JsonAsync();
            }

            await Task.Delay(200, timeout.Token);
        }
    }
}
