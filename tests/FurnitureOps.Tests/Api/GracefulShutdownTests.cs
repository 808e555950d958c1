using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary>
/// SIGTERM under load, to real processes: the silo drains (pending flushes commit), the API drains, both say so
/// in their last log line, and every sale a client saw acknowledged is in the ledger exactly once.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class GracefulShutdownTests(ApiFixture api)
{
    private const int MaxRequests = 400;

    [Fact]
    public async Task SigtermUnderLoadDrainsAndLosesNoAcknowledgedMutation()
    {
        var clusterId = $"shutdown-{Guid.NewGuid():N}";
        var apiPort = Ports.Free();
        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = api.ConnectionString,
            ["Orleans__ClusterId"] = clusterId,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Shutdown__DrainTimeout"] = "00:00:20",
        };
        await using var silo = HostProcess.Start("Silo", "FurnitureOps.Silo", new Dictionary<string, string>(common)
        {
            ["Orleans__SiloPort"] = Port(Ports.Free()),
            ["Orleans__GatewayPort"] = Port(Ports.Free()),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Ports.Free()}",
        });
        await using var apiProcess = HostProcess.Start("Api", "FurnitureOps.Api", new Dictionary<string, string>(common)
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{apiPort}",
            ["Auth__SigningKey"] = api.SigningKey,
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{apiPort}"), Timeout = TimeSpan.FromSeconds(40) };
        await WaitUntilReadyAsync(client, silo, apiProcess);
        var tenant = $"t-{Guid.NewGuid():N}";
        client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token(tenant, []));
        Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/v1/inventory", new { sku = "LOAD-1", name = "n", onHand = 1_000_000 })).StatusCode);

        var acknowledged = new ConcurrentBag<string>();
        var statuses = new ConcurrentBag<HttpStatusCode>();
        var started = 0;
        using var stopLoad = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var workers = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            while (!stopLoad.IsCancellationRequested && Interlocked.Increment(ref started) <= MaxRequests)
            {
                var key = Guid.NewGuid().ToString("N");
                var response = await client.PostJsonAsync("/v1/inventory/LOAD-1/sales", new { quantity = 1 }, key);
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    acknowledged.Add(key);
                }
            }
        })).ToList();

        while (Volatile.Read(ref started) < MaxRequests / 3)
        {
            await Task.Delay(10);
        }

        silo.Terminate();
        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(40)), "The silo did not stop after SIGTERM.");
        await stopLoad.CancelAsync();
        await Task.WhenAll(workers);
        apiProcess.Terminate();
        Assert.True(await apiProcess.WaitForExitAsync(TimeSpan.FromSeconds(40)), "The API did not stop after SIGTERM.");

        Assert.Equal(0, silo.ExitCode);
        Assert.Equal(0, apiProcess.ExitCode);
        Assert.Contains("Shutdown completed cleanly", silo.Output, StringComparison.Ordinal);
        Assert.Contains("Shutdown completed cleanly", apiProcess.Output, StringComparison.Ordinal);
        Assert.NotEmpty(acknowledged);
        Assert.All(statuses, status => Assert.Contains(status, new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable }));
        var recorded = await LedgerRows.ScalarAsync(api.Database,
            "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND sku = 'LOAD-1' AND idempotency_key = ANY($2)",
            tenant, acknowledged.ToArray());
        Assert.Equal(acknowledged.Count, recorded);
        await LedgerRows.AssertChainIntactAsync(api.Database, tenant, "LOAD-1");
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static async Task WaitUntilReadyAsync(HttpClient client, HostProcess silo, HostProcess apiProcess)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            try
            {
                if ((await client.GetAsync("/health/ready", timeout.Token)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"Not ready.\nSILO:\n{silo.Output}\nAPI:\n{apiProcess.Output}");
            }

            await Task.Delay(200, timeout.Token);
        }
    }
}
