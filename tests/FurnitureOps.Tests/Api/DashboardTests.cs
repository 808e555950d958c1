using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;
using Xunit.Abstractions;

namespace FurnitureOps.Tests.Api;

/// <summary>The Orleans dashboard on the silo's operations endpoint.</summary>
[Collection(ApiDefinition.Name)]
public sealed class DashboardTests(ApiFixture api, ITestOutputHelper output) : ApiTestBase(api)
{
    [Fact]
    public async Task HeadlessChromiumShowsTheSkuGrainTypeAfterTraffic()
    {
        var chromium = Environment.GetEnvironmentVariable("FURNITUREOPS_CHROMIUM");
        if (string.IsNullOrEmpty(chromium))
        {
            output.WriteLine("SKIPPED: chromium is not on this machine (./test.sh installs it when it can).");
            return;
        }

        await CreateSkuAsync(onHand: 3);
        var page = $"{Fixture.Silo.Urls.First()}/dashboard/#/grains";

        // A real browser runs the dashboard's script, which lists grain types from the cluster.
        var dom = await RenderAsync(chromium, page);

        Assert.Contains("FurnitureOps.Grains.Inventory.SkuGrain", dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDashboardSamplesOrleansMetersEveryTenSecondsUnlessConfigured()
    {
        var configured = await SiloHost.StartAsync(Fixture.ConnectionString, $"dashboard-{Guid.NewGuid():N}",
            settings: new Dictionary<string, string?> { ["Dashboard:CounterUpdateIntervalMs"] = "2000" });
        try
        {
            Assert.Equal(10_000, Fixture.Silo.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.CounterUpdateIntervalMs);
            Assert.Equal(2_000, configured.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.CounterUpdateIntervalMs);
        }
        finally
        {
            await configured.DisposeAsync();
        }
    }

    [Fact]
    public async Task OutsideDevelopmentTheDashboardNeedsItsCredentials()
    {
        var silo = await SiloHost.StartAsync(Fixture.ConnectionString, $"dashboard-{Guid.NewGuid():N}", environment: "Production",
            settings: new Dictionary<string, string?> { ["Dashboard:Username"] = "ops", ["Dashboard:Password"] = "correct-horse" });
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(silo.Urls.First()) };
            var anonymous = await client.GetAsync("/dashboard/");
            var wrong = await GetWithBasicAsync(client, "ops:wrong");
            var right = await GetWithBasicAsync(client, "ops:correct-horse");

            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        }
        finally
        {
            await silo.StopAsync();
            await silo.DisposeAsync();
        }
    }

    private static Task<HttpResponseMessage> GetWithBasicAsync(HttpClient client, string credentials)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return client.SendAsync(request);
    }

    private static async Task<string> RenderAsync(string chromium, string url)
    {
        var profile = Directory.CreateTempSubdirectory("furnitureops-chromium-").FullName;
        try
        {
            using var process = Process.Start(new ProcessStartInfo(chromium,
                $"--headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync " +
                $"--no-first-run --user-data-dir={profile} --virtual-time-budget=10000 --dump-dom {url}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var dom = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return await dom;
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
