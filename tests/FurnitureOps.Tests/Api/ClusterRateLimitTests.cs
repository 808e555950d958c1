using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary>
/// Budgets live in rate-limit grains, so API instances of one cluster share them. Runs on a cluster of its own
/// (own silo, own grains) with the production default for anonymous callers: 20 per minute per client IP.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class ClusterRateLimitTests(ApiFixture api) : IAsyncLifetime
{
    private readonly string _clusterId = $"rate-limits-{Guid.NewGuid():N}";
    private Microsoft.AspNetCore.Builder.WebApplication _silo = null!;
    private ApiFactory _first = null!;
    private ApiFactory _second = null!;
    private ApiFactory _behindProxy = null!;
    private ApiFactory _behindIngress = null!;

    public async Task InitializeAsync()
    {
        _silo = await SiloHost.StartAsync(api.ConnectionString, _clusterId);
        var production = new Dictionary<string, string?> { ["RateLimits:Anonymous:PermitLimit"] = "20" };
        _first = api.CreateApi(_clusterId, production);
        _second = api.CreateApi(_clusterId, production);
        _behindProxy = api.CreateApi(_clusterId, new Dictionary<string, string?>(production) { ["RateLimits:TrustedProxies:0"] = "127.0.0.1" });
        _behindIngress = api.CreateApi(_clusterId, new Dictionary<string, string?>(production) { ["RateLimits:TrustedNetworks:0"] = "127.0.0.0/8" });
        foreach (var instance in new[] { _first, _second, _behindProxy, _behindIngress })
        {
            await ApiFixture.WaitUntilReadyAsync(instance.CreateClient());
        }
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await _behindProxy.DisposeAsync();
        await _behindIngress.DisposeAsync();
        await _silo.StopAsync();
        await _silo.DisposeAsync();
    }

    [Fact]
    public async Task TwoInstancesShareOneBudgetAndSpoofedForwardedForDoesNotResetIt()
    {
        var instances = new[] { _first.CreateClient(), _second.CreateClient() };

        var allowed = new List<HttpResponseMessage>();
        for (var i = 0; i < 20; i++)
        {
            allowed.Add(await AnonymousCallAsync(instances[i % 2], forwardedFor: $"198.51.100.{i}"));
        }

        var refusedOnFirst = await AnonymousCallAsync(instances[0], forwardedFor: "198.51.100.200");
        var refusedOnSecond = await AnonymousCallAsync(instances[1], forwardedFor: "198.51.100.201");

        Assert.All(allowed, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal("0", allowed[^1].Headers.GetValues("RateLimit-Remaining").Single());
        Assert.Equal("20", allowed[^1].Headers.GetValues("RateLimit-Limit").Single());
        await refusedOnFirst.AssertProblemAsync(429, "rate_limited");
        await refusedOnSecond.AssertProblemAsync(429, "rate_limited");
        Assert.True(refusedOnFirst.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    [Fact]
    public async Task ForwardedForFromATrustedProxyGivesEachClientItsOwnBudget()
    {
        var proxy = _behindProxy.CreateClient();

        var responses = new List<HttpResponseMessage>();
        for (var i = 0; i < 21; i++)
        {
            responses.Add(await AnonymousCallAsync(proxy, forwardedFor: "203.0.113.7"));
        }

        var otherClient = await AnonymousCallAsync(proxy, forwardedFor: "203.0.113.8");

        Assert.All(responses.Take(20), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        await responses[20].AssertProblemAsync(429, "rate_limited");
        Assert.Equal(HttpStatusCode.Unauthorized, otherClient.StatusCode);
    }

    [Fact]
    public async Task BehindATrustedNetworkIPv6ClientsAreKeyedByTheirSlash64()
    {
        var ingress = _behindIngress.CreateClient();

        // 20 requests from 20 addresses of one /64 spend one budget; the 21st, from yet another, is refused.
        var sameSubscriber = new List<HttpResponseMessage>();
        for (var i = 1; i <= 21; i++)
        {
            sameSubscriber.Add(await AnonymousCallAsync(ingress, forwardedFor: $"2001:db8:1:2::{i:x}"));
        }

        var nextSubscriber = await AnonymousCallAsync(ingress, forwardedFor: "2001:db8:1:3::1");

        Assert.All(sameSubscriber.Take(20), r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        await sameSubscriber[20].AssertProblemAsync(429, "rate_limited");
        Assert.Equal(HttpStatusCode.Unauthorized, nextSubscriber.StatusCode);
    }

    [Fact]
    public void ATrustedNetworkThatIsNotCidrStopsTheApiFromStarting()
    {
        var error = Assert.ThrowsAny<Exception>(() => api.CreateApi(_clusterId, new Dictionary<string, string?> { ["RateLimits:TrustedNetworks:0"] = "10.0.0.0/33" }));

        Assert.Contains("not a network in CIDR notation", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthenticatedCallersGetTheirOwnLargerBudgetWithHeaders()
    {
        var client = _first.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token($"t-{Guid.NewGuid():N}", []));

        var response = await client.GetAsync("/v1/inventory/NOPE-1");

        await response.AssertProblemAsync(404, "sku_not_found");
        Assert.Equal("600", response.Headers.GetValues("RateLimit-Limit").Single());
        Assert.Equal("599", response.Headers.GetValues("RateLimit-Remaining").Single());
        Assert.True(int.Parse(response.Headers.GetValues("RateLimit-Reset").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 0);
    }

    private static Task<HttpResponseMessage> AnonymousCallAsync(HttpClient client, string forwardedFor)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/inventory/ANY-1");
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        return client.SendAsync(request);
    }
}
