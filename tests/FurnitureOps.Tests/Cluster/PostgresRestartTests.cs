using System.Net;
using FurnitureOps.Tests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace FurnitureOps.Tests.Cluster;

/// <summary>
/// Two silos and the API under a steady mixed load while PostgreSQL stops (fast shutdown: open transactions are
/// rolled back, connections cut) and starts again. Clients see retryable 503s meanwhile; the service recovers
/// without a restart, and afterwards <see cref="ClusterInvariants"/> hold. Runs on a PostgreSQL server of its own.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class PostgresRestartTests(ApiFixture api, ITestOutputHelper output)
{
    private const int Terminals = 6;
    private const int Step = 90;

    private readonly string _tenant = $"t-{Guid.NewGuid():N}";
    private readonly string _clusterId = $"pg-restart-{Guid.NewGuid():N}";

    [Fact]
    public async Task RestartingPostgresUnderLoadLosesAndRepeatsNothingAndNeedsNoServiceRestart()
    {
        var (server, connections) = await TestDatabase.CreateWithServerAsync(durable: false);
        await using var database = NpgsqlDataSource.Create(connections.Admin);
        await using var silo1 = await SiloHost.StartAsync(connections.App, _clusterId);
        await using var silo2 = await SiloHost.StartAsync(connections.App, _clusterId);
        await using var intake = api.CreateApi(_clusterId, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connections.App,
            ["RateLimits:Authenticated:PermitLimit"] = "100000", // six terminals at full speed; this test is about PostgreSQL
        });
        await ApiFixture.WaitUntilReadyAsync(intake.CreateClient());
        await using var load = await MixedLoad.StartAsync(api, intake, _tenant, Terminals, TimeSpan.FromMinutes(4), output);

        await load.FinishMoreAsync(Step);
        var retriesBefore = load.Retries;
        await server.StopAsync();
        load.Mark("PostgreSQL stopped");

        // Barrier: the outage has reached the clients (every terminal retrying, on average twice) and the API's
        // readiness reports it, so the restart happens while the service is known to be without its database.
        var probe = intake.CreateClient();
        await Poll.UntilAsync(async () => load.Retries >= retriesBefore + (2 * Terminals)
            && (await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
            "clients retried and readiness reported the outage", TimeSpan.FromMinutes(1));
        load.Mark("clients are retrying; readiness is 503");
        await server.StartAgainAsync();
        load.Mark("PostgreSQL started again");

        await load.FinishMoreAsync(Step);
        await load.FinishMoreAsync(Step);
        var outcomes = await load.StopAsync();

        Assert.False(load.HitTimeBound, "the run hit its time bound");
        await ClusterInvariants.AssertAsync(database, _tenant, outcomes);
    }
}
