using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Cluster;

/// <summary>
/// A silo started before its database: it waits (retrying with backoff) and starts once PostgreSQL answers,
/// or, past <c>Storage:StartupTimeout</c>, exits with the documented code 3 and says why, rather than
/// aborting (exit 134) on the first refused connection. Real processes; a PostgreSQL server of its own.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class SiloStartupTests
{
    [Fact]
    public async Task ADatabaseThatStaysAwayEndsTheSiloWithCode3AndAReason()
    {
        var (server, connections) = await TestDatabase.CreateWithServerAsync(durable: false);
        await server.StopAsync();
        await using var silo = SiloProcess.Start(connections.App, $"startup-{Guid.NewGuid():N}",
            new Dictionary<string, string> { ["Storage__StartupTimeout"] = "00:00:02" });

        Assert.True(await silo.Process.WaitForExitAsync(TimeSpan.FromSeconds(60)), "the silo did not exit");

        Assert.Equal(3, silo.Process.ExitCode);
        Assert.Contains("PostgreSQL did not answer within 2 s", silo.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADatabaseThatComesUpLateIsWaitedFor()
    {
        var (server, connections) = await TestDatabase.CreateWithServerAsync(durable: false);
        await server.StopAsync();
        await using var silo = SiloProcess.Start(connections.App, $"startup-{Guid.NewGuid():N}");

        // Barrier: the silo has tried and is waiting, not dead.
        await Poll.UntilAsync(() => Task.FromResult(silo.Process.Output.Contains("PostgreSQL is not reachable yet", StringComparison.Ordinal)),
            "the silo reported that it is waiting for PostgreSQL", TimeSpan.FromSeconds(60));
        await server.StartAgainAsync();

        using var probe = new HttpClient { BaseAddress = silo.OperationsAddress };
        await Poll.UntilAsync(async () => await StatusAsync(probe, "/startupz") == HttpStatusCode.OK,
            "the silo started once PostgreSQL answered", TimeSpan.FromSeconds(90));
    }

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient client, string path)
    {
        try
        {
            return (await client.GetAsync(path)).StatusCode;
        }
        catch (HttpRequestException)
        {
            return null; // not listening yet
        }
    }
}
