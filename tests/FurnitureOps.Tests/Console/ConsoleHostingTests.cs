using System.Net;
using System.Text.RegularExpressions;
using FurnitureOps.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FurnitureOps.Tests.Console;

/// <summary>How the API serves the console: the page for every deep link, its files, its headers and its settings.</summary>
public sealed partial class ConsoleHostingTests(ConsoleFixture fixture, ITestOutputHelper output) : ConsoleTestBase(fixture, output)
{
    [Theory]
    [InlineData("/console/")]
    [InlineData("/console/skus/OAK.CHAIR-1")]
    [InlineData("/console/players/p-1")]
    [InlineData("/console/attention")]
    [InlineData("/console/dead-letters")]
    [InlineData("/console/audit?entityId=OAK.CHAIR-1&requestId=abc")]
    public async Task EveryDeepLinkIsThePageWithAStrictContentSecurityPolicy(string path)
    {
        using var client = Fixture.AnonymousClient();
        var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));

        // No inline script or style for the policy to have to allow.
        Assert.All(ScriptTags().Matches(html), tag => Assert.Contains(" src=\"/console/assets/", tag.Value, StringComparison.Ordinal));
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(InlineHandlers(), html);
    }

    [Fact]
    public async Task TheFilesAndLibrariesAreServedAndAMissingFileIsA404NotThePage()
    {
        using var client = Fixture.AnonymousClient();

        foreach (var file in new[] { "js/main.js", "css/console.css", "vendor/chart.umd.min.js", "vendor/oidc-client-ts.min.js" })
        {
            var response = await client.GetAsync($"/console/assets/{file}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/console/assets/js/missing.js")).StatusCode);
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Fixture.ApiAddress };
        var bare = await noRedirects.GetAsync("/console");
        Assert.Equal(HttpStatusCode.Found, bare.StatusCode);
        Assert.Equal("/console/", bare.Headers.Location?.ToString());
    }

    [Fact]
    public async Task TheSettingsSayHowToSignInAndTheRewardLimitAndNoSecret()
    {
        using var client = Fixture.AnonymousClient();
        var settings = await (await client.GetAsync("/console/config.json")).JsonAsync();

        Assert.Equal("development", settings.GetProperty("signIn").GetString());
        Assert.Equal(10_000, settings.GetProperty("maxManualReward").GetInt64());
        Assert.Equal(ApiFixture.ManualRewardsPerMinute, settings.GetProperty("manualRewardsPerMinute").GetInt32());
        Assert.DoesNotContain(Fixture.SigningKey, settings.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAnAuthorityTheConsoleSignsInThereAndMayCallIt()
    {
        await using var api = Fixture.CreateApi(Fixture.ClusterId, new Dictionary<string, string?>
        {
            ["Auth:Authority"] = "https://login.example.test/realms/ops",
            ["Console:ClientId"] = "ops-console",
        });
        using var client = api.CreateClient();

        var settings = await (await client.GetAsync("/console/config.json")).JsonAsync();
        var page = await client.GetAsync("/console/attention");

        Assert.Equal("oidc", settings.GetProperty("signIn").GetString());
        Assert.Equal("https://login.example.test/realms/ops", settings.GetProperty("authority").GetString());
        Assert.Equal("ops-console", settings.GetProperty("clientId").GetString());
        Assert.Contains("connect-src 'self' https://login.example.test;", Assert.Single(page.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCallerEndpointSaysWhoTheTokenIsAndWhatItMayDo()
    {
        using var client = Fixture.Client(Tenant, "inventory:read", "audit:read");
        var me = await (await client.GetAsync("/v1/me")).JsonAsync();

        Assert.Equal("staff-1", me.GetProperty("subject").GetString());
        Assert.Equal(Tenant, me.GetProperty("tenantId").GetString());
        Assert.Equal(["inventory:read", "audit:read"], me.GetProperty("scopes").EnumerateArray().Select(scope => scope.GetString()));
        Assert.True(me.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        await (await Fixture.AnonymousClient().GetAsync("/v1/me")).AssertProblemAsync(401, "unauthenticated");
    }

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTags();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandlers();
}
