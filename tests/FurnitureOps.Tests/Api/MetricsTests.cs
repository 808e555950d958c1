using System.Diagnostics;
using System.Net;
using FurnitureOps.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FurnitureOps.Tests.Api;

/// <summary>Prometheus exposition at <c>/metrics</c> on API and silo, with the project's own instruments.</summary>
[Collection(ApiDefinition.Name)]
public sealed class MetricsTests(ApiFixture api, ITestOutputHelper output) : ApiTestBase(api)
{
    [Fact]
    public async Task SiloExposesWritePathMetrics()
    {
        await CreateSkuAsync(onHand: 10);
        await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 1 }, "sale-1");
        await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 1 }, "sale-1");
        await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 2 }, "sale-1");

        var text = await ScrapeAsync(Fixture.Silo.Urls.First());

        Assert.Contains($"idempotent_replays_total{{", text, StringComparison.Ordinal);
        Assert.Matches($@"idempotent_replays_total\{{[^}}]*operation=""SellStock""[^}}]*tenant=""{Tenant}""[^}}]*\}} 1", text);
        Assert.Matches($@"idempotency_conflicts_total\{{[^}}]*operation=""SellStock""[^}}]*tenant=""{Tenant}""[^}}]*\}} 1", text);
        Assert.Contains("ledger_flush_batch_size_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("ledger_flush_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("outbox_depth", text, StringComparison.Ordinal);
        Assert.Matches(@"ledger_commit_transactions_total\{[^}]*outcome=""committed""[^}]*\} [1-9]", text);
        Assert.Contains("ledger_commit_grains_per_transaction_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("ledger_commit_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("ledger_commit_lane_queue", text, StringComparison.Ordinal);
        Assert.Matches(@"storage_connections\{[^}]*db_client_connection_pool_name=""commit""", text);
        Assert.Matches(@"build_info\{[^}]*commit=""[^""]+""[^}]*version=""[^""]+""[^}]*\} 1", text);
    }

    [Fact]
    public async Task ApiExposesRequestDurationsAndRateLimiting()
    {
        var player = $"/v1/players/P-{Guid.NewGuid():N}/loyalty/rewards";
        for (var i = 0; i <= ApiFixture.ManualRewardsPerMinute; i++)
        {
            await Client.PostJsonAsync(player, new { points = 1, reason = $"r{i}" });
        }

        var text = await ScrapeAsync(Fixture.AnonymousClient().BaseAddress!.ToString());

        Assert.Matches(@"http_server_request_duration_seconds_bucket\{[^}]*http_route=""/v1/players/\{playerId\}/loyalty/rewards""[^}]*le=""0.005""", text);
        Assert.Contains(@"le=""10""", text, StringComparison.Ordinal);
        Assert.Matches(@"rate_limited_total\{[^}]*policy=""manual_rewards""[^}]*\} [1-9]", text);
        Assert.Matches(@"build_info\{[^}]*\} 1", text);
    }

    [Fact]
    public async Task ExpositionPassesPromtool()
    {
        var promtool = Environment.GetEnvironmentVariable("FURNITUREOPS_PROMTOOL");
        if (string.IsNullOrEmpty(promtool))
        {
            output.WriteLine("SKIPPED: promtool is not on this machine (./test.sh installs it when it can).");
            return;
        }

        await CreateSkuAsync(onHand: 1);
        foreach (var endpoint in new[] { Fixture.Silo.Urls.First(), Fixture.AnonymousClient().BaseAddress!.ToString() })
        {
            var text = await ScrapeAsync(endpoint);
            var (exitCode, report) = await RunAsync(promtool, "check metrics", text);
            Assert.True(exitCode == 0, $"promtool check metrics on {endpoint}/metrics: {report}");
        }
    }

    private static async Task<string> ScrapeAsync(string baseAddress)
    {
        using var client = new HttpClient { BaseAddress = new Uri(baseAddress) };
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments, string input)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
