using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using FurnitureOps.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FurnitureOps.Tests.Cluster;

/// <summary>
/// Three silo processes and the API under a steady mixed load, clients retrying 503s with the same key. One
/// silo is killed (SIGKILL), a new one joins, another stops gracefully (SIGTERM). The ledger is the evidence:
/// every acknowledged request has exactly one effect, no key has two, stock and balances add up, and clients
/// never saw a 500.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class SiloFailoverTests(ApiFixture api, ITestOutputHelper output)
{
    private const int Requests = 360;
    private const int Workers = 6;
    private const int Skus = 4;
    private const int Players = 4;
    private static readonly TimeSpan LoadBound = TimeSpan.FromSeconds(150);

    private readonly string _tenant = $"t-{Guid.NewGuid():N}";
    private readonly string _clusterId = $"failover-{Guid.NewGuid():N}";

    [Fact]
    public async Task KillJoinAndStopUnderLoadKeepEveryAcknowledgedEffectExactlyOnce()
    {
        var silos = new List<HostProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                silos.Add(StartSilo());
            }

            await using var intake = api.CreateApi(_clusterId);
            var client = intake.CreateClient();
            client.Timeout = TimeSpan.FromSeconds(100);
            client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token(_tenant, []));
            await ApiFixture.WaitUntilReadyAsync(client);
            for (var sku = 0; sku < Skus; sku++)
            {
                await SendWithRetriesAsync(client, "/v1/inventory", new { sku = $"S{sku}", name = "Oak chair", onHand = 100 }, $"create-{sku}");
            }

            var outcomes = new ConcurrentDictionary<string, (string Kind, HttpStatusCode Status)>();
            var started = 0;
            using var bound = new CancellationTokenSource(LoadBound);
            var load = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
            {
                while (!bound.IsCancellationRequested && Interlocked.Increment(ref started) <= Requests)
                {
                    var n = Random.Shared.Next();
                    var key = $"w{worker}-{Guid.NewGuid():N}";
                    var (kind, path, body) = (n % 3) switch
                    {
                        0 => ("sell", $"/v1/inventory/S{n % Skus}/sales", (object)new { quantity = 1 }),
                        1 => ("receive", $"/v1/inventory/S{n % Skus}/receipts", new { quantity = 1 }),
                        _ => ("accrue", $"/v1/players/P{n % Players}/loyalty/accruals", new { points = 5, sourceType = "test", sourceId = key }),
                    };
                    outcomes[key] = (kind, await SendWithRetriesAsync(client, path, body, key));
                }
            })).ToList();

            await UntilStartedAsync(() => started, Requests / 4);
            await silos[0].KillAsync();
            await UntilStartedAsync(() => started, Requests / 2);
            silos.Add(StartSilo());
            await UntilStartedAsync(() => started, 3 * Requests / 4);
            silos[1].Terminate();
            await Task.WhenAll(load);

            Assert.True(await silos[1].WaitForExitAsync(TimeSpan.FromSeconds(60)), "the stopped silo did not exit");
            Assert.True(outcomes.Count >= Requests / 2, $"only {outcomes.Count} requests finished within the bound");
            Assert.DoesNotContain(outcomes.Values, o => (int)o.Status >= 500 && o.Status != HttpStatusCode.ServiceUnavailable);
            var acknowledged = outcomes.Where(o => o.Value.Status == HttpStatusCode.OK).Select(o => o.Key).ToHashSet();
            Assert.True(acknowledged.Count >= outcomes.Count * 9 / 10, $"{acknowledged.Count} of {outcomes.Count} acknowledged");

            output.WriteLine($"finished {outcomes.Count}, acknowledged {acknowledged.Count}, statuses " +
                string.Join(", ", outcomes.Values.GroupBy(o => o.Status).Select(g => $"{(int)g.Key}×{g.Count()}")));
            var effects = await EffectsByKeyAsync();
            Assert.All(acknowledged, key => Assert.Equal(1, effects.GetValueOrDefault(key)));
            Assert.DoesNotContain(effects, effect => effect.Value > 1);
            for (var sku = 0; sku < Skus; sku++)
            {
                await LedgerRows.AssertChainIntactAsync(api.Database, _tenant, $"S{sku}");
            }

            Assert.Equal(0, await LedgerRows.ScalarAsync(api.Database,
                """
                SELECT count(*) FROM loyalty_players p
                WHERE p.tenant_id = $1 AND (p.balance < 0 OR p.balance <> (SELECT coalesce(sum(CASE WHEN operation IN ('redeem', 'reverse')
                      THEN -points ELSE points END), 0) FROM loyalty_ledger l WHERE l.tenant_id = p.tenant_id AND l.player_id = p.player_id))
                """, _tenant));
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    /// <summary>Like a real client: a 503 or a broken connection is retried with the same key, a bounded number of times.</summary>
    private static async Task<HttpStatusCode> SendWithRetriesAsync(HttpClient client, string path, object body, string key)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await client.PostJsonAsync(path, body, key);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 40)
                {
                    return response.StatusCode;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException && attempt < 40)
            {
                // the request's fate is unknown: resend it with the same key
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)));
        }
    }

    private async Task<Dictionary<string, long>> EffectsByKeyAsync()
    {
        await using var command = api.Database.CreateCommand(
            """
            SELECT idempotency_key, count(*) FROM (
                SELECT idempotency_key FROM inventory_ledger WHERE tenant_id = $1
                UNION ALL SELECT idempotency_key FROM loyalty_ledger WHERE tenant_id = $1) AS effects
            GROUP BY idempotency_key
            """);
        command.Parameters.Add(new() { Value = _tenant });
        var effects = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            effects[reader.GetString(0)] = reader.GetInt64(1);
        }

        return effects;
    }

    private static async Task UntilStartedAsync(Func<int> started, int count) =>
        await Poll.UntilAsync(() => Task.FromResult(started() >= count), $"{count} requests have started", LoadBound);

    private HostProcess StartSilo() => HostProcess.Start("Silo", "FurnitureOps.Silo", new Dictionary<string, string>
    {
        ["ConnectionStrings__Postgres"] = api.ConnectionString,
        ["Orleans__ClusterId"] = _clusterId,
        ["Orleans__SiloPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
        ["Orleans__GatewayPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Ports.Free()}",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Shutdown__DrainTimeout"] = "00:00:20",
        ["Events__RelayEnabled"] = "false", // the fixture's silo relays this database
    });
}
