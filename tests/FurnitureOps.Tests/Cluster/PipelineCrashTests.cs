using System.Net;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FurnitureOps.Tests.Cluster;

/// <summary>
/// A silo process killed (SIGKILL) while one shared transaction of its commit pipeline, carrying the writes of
/// many grains, is in flight in PostgreSQL: none of it commits, no caller is told otherwise, and the resends,
/// served by the surviving silo, apply each sale exactly once with every chain intact.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class PipelineCrashTests(ApiFixture api)
{
    private const int Skus = 40;

    private readonly string _tenant = $"t-{Guid.NewGuid():N}";
    private readonly string _clusterId = $"pipeline-crash-{Guid.NewGuid():N}";

    [Fact]
    public async Task KillingASiloMidTransactionCommitsNothingAndResendsApplyOnce()
    {
        // Each silo's connections are recognisable by name, so the test knows when a lane waits, and whose.
        var silos = new[] { StartSilo(), StartSilo() };
        try
        {
            await using var intake = api.CreateApi(_clusterId, new Dictionary<string, string?>
            {
                ["RateLimits:Authenticated:PermitLimit"] = "100000",
                ["Orleans:Messaging:ResponseTimeout"] = "00:00:03", // the calls caught by the kill end sooner
            });
            await ApiFixture.WaitUntilReadyAsync(intake.CreateClient());
            await Poll.UntilAsync(async () => await Membership.CountAsync(api.Database, _clusterId, SiloStatus.Active) == 2, "both silos are active");
            var client = intake.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token(_tenant, []));
            var skus = Enumerable.Range(0, Skus).Select(i => $"CRASH-{i}").ToList();
            foreach (var sku in skus)
            {
                Assert.Equal(HttpStatusCode.Created, (await client.PostJsonAsync("/v1/inventory", new { sku, name = "chair", onHand = 10 })).StatusCode);
            }

            // The victim's own SKUs: its lane commits only its grains' writes.
            var (victim, hosted) = await HostingAsync(intake.Services.GetRequiredService<IClusterClient>(), silos, skus);
            Assert.True(hosted.Count >= 5, $"The busier silo hosts only {hosted.Count} of {Skus} SKUs.");
            var (block, held, others) = (hosted[0], hosted[1], hosted.Skip(2).ToList());

            // The lane's next transaction waits on BLOCK while the other sales queue behind it; then BLOCK is let
            // go, and the transaction that takes the queued sales (HELD among them) waits on HELD: in flight.
            var caught = others.Append(held).ToList();
            await using var holdBlock = await RowLock.TakeAsync(api.Database, _tenant, block);
            await using var holdHeld = await RowLock.TakeAsync(api.Database, _tenant, held);
            var blockSale = SellAsync(client, block);
            await holdBlock.UntilWaitedOnAsync($"{victim.Name}/commit");
            var sales = caught.Select(sku => SellAsync(client, sku)).ToList();
            await Poll.UntilAsync(async () => await QueuedAsync(victim.Silo) >= caught.Count, "the sales are queued behind the lane's transaction");
            await holdBlock.DisposeAsync();
            Assert.Equal(HttpStatusCode.OK, await blockSale);
            await holdHeld.UntilWaitedOnAsync($"{victim.Name}/commit");

            await victim.Silo.Process.KillAsync();
            await holdHeld.DisposeAsync();

            foreach (var sale in sales)
            {
                Assert.NotEqual(HttpStatusCode.OK, await sale);
            }

            Assert.Equal(0, await LedgerRows.ScalarAsync(api.Database,
                "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND operation = 'sell' AND sku <> $2", _tenant, block));

            foreach (var sku in caught.Append(block))
            {
                Assert.Equal(HttpStatusCode.OK, await ResendUntilAnsweredAsync(client, sku));
                Assert.Equal(1, await LedgerRows.ScalarAsync(api.Database,
                    "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND idempotency_key = $2", _tenant, $"sale-{sku}"));
                await LedgerRows.AssertChainIntactAsync(api.Database, _tenant, sku);
            }
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.Silo.DisposeAsync();
            }
        }
    }

    private (SiloProcess Silo, string Name) StartSilo()
    {
        var name = $"crash-{Guid.NewGuid():N}";
        var connection = new NpgsqlConnectionStringBuilder(api.ConnectionString) { ApplicationName = name }.ConnectionString;
        return (SiloProcess.Start(connection, _clusterId, new Dictionary<string, string>
        {
            ["Events__RelayEnabled"] = "false", // the fixture's silo relays this database
            ["Storage__CommandTimeout"] = "00:01:00", // the held transaction must outlive the test's barriers
        }), name);
    }

    /// <summary>The silo hosting most of the SKUs, and those SKUs.</summary>
    private async Task<((SiloProcess Silo, string Name) Silo, List<string> Skus)> HostingAsync(
        IClusterClient cluster, IReadOnlyList<(SiloProcess Silo, string Name)> silos, IReadOnlyList<string> skus)
    {
        var activations = await cluster.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return silos
            .Select(silo => (silo, skus.Where(sku => activations.Any(a => a.SiloAddress.Endpoint.Port == silo.Silo.SiloPort &&
                a.GrainId.ToString().EndsWith($"{_tenant}/{sku}", StringComparison.Ordinal))).ToList()))
            .MaxBy(hosting => hosting.Item2.Count);
    }

    private static async Task<HttpStatusCode> SellAsync(HttpClient client, string sku)
    {
        try
        {
            return (await client.PostJsonAsync($"/v1/inventory/{sku}/sales", new { quantity = 1 }, $"sale-{sku}")).StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    // The survivor takes the SKUs over once the killed silo is declared dead; until then the API answers 503.
    private static async Task<HttpStatusCode> ResendUntilAnsweredAsync(HttpClient client, string sku)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            var status = await SellAsync(client, sku);
            if (status == HttpStatusCode.OK || DateTime.UtcNow > deadline)
            {
                return status;
            }

            await Task.Delay(250);
        }
    }

    private static async Task<long> QueuedAsync(SiloProcess silo)
    {
        using var http = new HttpClient { BaseAddress = silo.OperationsAddress };
        var metrics = await http.GetStringAsync("/metrics");
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith("ledger_commit_lane_queue", StringComparison.Ordinal));
        return line is null ? 0 : (long)double.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
