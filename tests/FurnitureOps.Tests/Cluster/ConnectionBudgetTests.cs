using System.Collections.Concurrent;
using System.Net;
using FurnitureOps.Grains.Storage;
using FurnitureOps.Tests.Infrastructure;
using Npgsql;

namespace FurnitureOps.Tests.Cluster;

/// <summary>
/// A silo holds no more PostgreSQL connections than its budget (<c>Storage:Connections</c>), whatever the load:
/// measured at the server (<c>pg_stat_activity</c>) while 75 callers mix sales, accruals and POS events.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class ConnectionBudgetTests(ApiFixture api)
{
    private const int Callers = 75;
    private const int RequestsPerCaller = 8;

    [Fact]
    public async Task SiloStaysWithinItsConnectionBudgetUnderSeventyFiveCallers()
    {
        // Connections of this test's silo and API are recognisable by their application name.
        var name = $"budget-{Guid.NewGuid():N}";
        var connection = new NpgsqlConnectionStringBuilder(api.ConnectionString) { ApplicationName = name }.ConnectionString;
        var clusterId = $"budget-{Guid.NewGuid():N}";
        var tenant = $"t-{Guid.NewGuid():N}";
        var silo = await SiloHost.StartAsync(connection, clusterId);
        try
        {
            await using var instance = api.CreateApi(clusterId, new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connection });
            await ApiFixture.WaitUntilReadyAsync(instance.CreateClient());
            HttpClient Caller(int caller)
            {
                var client = instance.CreateClient();
                client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token(tenant, [], subject: $"caller-{caller}"));
                return client;
            }

            var setup = Caller(-1);
            var skus = Enumerable.Range(0, 50).Select(i => $"BUDGET-{i}").ToList();
            foreach (var sku in skus)
            {
                Assert.Equal(HttpStatusCode.Created, (await setup.PostJsonAsync("/v1/inventory", new { sku, name = "chair", onHand = 10_000 })).StatusCode);
            }

            using var sampling = new CancellationTokenSource();
            var peaks = SamplePeaksAsync(name, sampling.Token);
            var statuses = new ConcurrentBag<HttpStatusCode>();
            await Task.WhenAll(Enumerable.Range(0, Callers).Select(caller => Task.Run(async () =>
            {
                var client = Caller(caller);
                for (var i = 0; i < RequestsPerCaller; i++)
                {
                    var sku = skus[Random.Shared.Next(skus.Count)];
                    var player = $"P-{Random.Shared.Next(50)}";
                    var response = (i % 3) switch
                    {
                        0 => await client.PostJsonAsync($"/v1/inventory/{sku}/sales", new { quantity = 1 }),
                        1 => await client.PostJsonAsync($"/v1/players/{player}/loyalty/accruals",
                            new { points = 10, sourceType = "visit", sourceId = Guid.NewGuid().ToString("N") }),
                        _ => await client.PostJsonAsync("/v1/pos/events", new
                        {
                            source = $"till-{caller}", type = "sale", occurredAt = "2026-11-20T10:00:00Z",
                            lines = new[] { new { sku, quantity = 1 } }, playerId = player, amount = 25,
                        }),
                    };
                    statuses.Add(response.StatusCode);
                }
            })));
            await sampling.CancelAsync();
            var peak = await peaks;

            Assert.Equal(Callers * RequestsPerCaller, statuses.Count);
            Assert.All(statuses, status => Assert.True((int)status is >= 200 and < 300, $"A request answered {status}."));
            var budget = new ConnectionBudget();
            Assert.True(peak.Silo <= budget.Total, $"The silo held {peak.Silo} connections; its budget is {budget.Total}.");
            Assert.True(peak.Silo >= budget.CommitLanes, $"Only {peak.Silo} silo connections were seen: is the sampler matching them?");
            Assert.True(peak.Api <= 2, $"The API held {peak.Api} connections.");
        }
        finally
        {
            await silo.StopAsync();
            await silo.DisposeAsync();
        }
    }

    /// <summary>The most connections the silo and the API held at once, sampled every 10 ms until cancelled.</summary>
    private async Task<(long Silo, long Api)> SamplePeaksAsync(string applicationName, CancellationToken stop)
    {
        long silo = 0, apiPeak = 0;
        await using var sample = api.Database.CreateCommand(
            """
            SELECT count(*) FILTER (WHERE application_name <> $1 || '/api'), count(*) FILTER (WHERE application_name = $1 || '/api')
            FROM pg_stat_activity WHERE application_name LIKE $1 || '/%'
            """);
        sample.Parameters.Add(new() { Value = applicationName });
        while (!stop.IsCancellationRequested)
        {
            await using (var reader = await sample.ExecuteReaderAsync(CancellationToken.None))
            {
                await reader.ReadAsync(CancellationToken.None);
                silo = Math.Max(silo, reader.GetInt64(0));
                apiPeak = Math.Max(apiPeak, reader.GetInt64(1));
            }

            try
            {
                await Task.Delay(10, stop);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return (silo, apiPeak);
    }
}
