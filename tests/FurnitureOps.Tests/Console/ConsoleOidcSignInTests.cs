using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FurnitureOps.Api.Auth;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FurnitureOps.Tests.Console;

/// <summary>
/// The console's OpenID Connect sign-in (authorization code + PKCE, the code in the fragment) against
/// <see cref="FakeIdentityProvider"/>, on an API instance of its own whose <c>Auth:Authority</c> is that provider.
/// </summary>
public sealed class ConsoleOidcSignInTests(ConsoleFixture fixture, ITestOutputHelper output) : ConsoleTestBase(fixture, output)
{
    private FakeIdentityUser Person => new("staff-oidc", Tenant, Scopes.All);

    [Fact]
    public async Task SigningInAtTheProviderComesBackToTheDeepLinkAndNoServerSeesTheCodeOrTheToken()
    {
        if (NoBrowser) return;
        await CreateSkuAsync(onHand: 7);
        await using var provider = await FakeIdentityProvider.StartAsync(Person);
        var received = new ConcurrentQueue<string>();
        await using var api = await StartApiAsync(provider, services => services.AddSingleton<IStartupFilter>(new RecordRequestTargets(received)));
        var address = AddressOf(api);
        await using var console = await ConsolePage.OpenAsync(Fixture, address, $"/console/skus/{Sku}", token: null);

        await Expect(console.Heading).ToHaveTextAsync("Sign in");
        await console.ScreenshotAsync("oidc-sign-in");
        Assert.Empty(await console.AccessibilityViolationsAsync());
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        // The same deep link, with figures the API only shows to a token it accepted.
        await Expect(console.Figure("on-hand")).ToHaveTextAsync("7");
        Assert.Equal(new Uri(address, $"/console/skus/{Sku}").ToString(), console.Page.Url);
        await Expect(console.Page.Locator("#who")).ToContainTextAsync($"staff-oidc · {Tenant}");

        var authorize = Assert.Single(provider.Authorizations);
        Assert.Equal(("code", "S256", "fragment"), (authorize.ResponseType, authorize.CodeChallengeMethod, authorize.ResponseMode));
        Assert.Equal(new Uri(address, "/console/callback").ToString(), authorize.RedirectUri);
        Assert.Empty(provider.Refusals);
        var exchange = Assert.Single(provider.Exchanges); // issued only once the code_verifier matched the code_challenge

        // The callback reached the API without its code (a fragment is never sent), and the token went in headers only.
        Assert.Contains("/console/callback", received);
        Assert.DoesNotContain(received, target =>
            target.Contains("code=", StringComparison.Ordinal) || target.Contains(exchange.Code, StringComparison.Ordinal) ||
            target.Contains(exchange.AccessToken, StringComparison.Ordinal));

        var user = await StoredUserAsync(console, provider);
        Assert.Equal(exchange.AccessToken, JsonDocument.Parse(user!).RootElement.GetProperty("access_token").GetString());
        Assert.Equal(0, await console.Page.EvaluateAsync<int>("localStorage.length"));
        Assert.Empty(console.ScriptErrors());
    }

    [Fact]
    public async Task OnceTheProvidersTokenHasExpiredTheNextCallIsRefusedAndSigningInAgainComesBackToTheSamePage()
    {
        if (NoBrowser) return;
        await CreateSkuAsync(onHand: 7);
        await using var provider = await FakeIdentityProvider.StartAsync(Person);

        // A token that really expires within the test: short-lived, and the API without its five minutes of clock
        // skew, which would otherwise keep accepting it.
        provider.AccessTokenLifetime = TimeSpan.FromSeconds(15);
        await using var api = await StartApiAsync(provider, services => services.PostConfigure<JwtBearerOptions>(
            JwtBearerDefaults.AuthenticationScheme, options => options.TokenValidationParameters.ClockSkew = TimeSpan.Zero));
        var address = AddressOf(api);
        await using var console = await ConsolePage.OpenAsync(Fixture, address, $"/console/skus/{Sku}", token: null);
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(console.Figure("on-hand")).ToHaveTextAsync("7");

        // Waiting is what expiry takes; the barrier is the API itself refusing the token.
        var first = Assert.Single(provider.Exchanges);
        var left = first.ExpiresAt - DateTimeOffset.UtcNow;
        if (left > TimeSpan.Zero)
        {
            await Task.Delay(left);
        }

        using var probe = new HttpClient { BaseAddress = address };
        probe.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", first.AccessToken);
        await Poll.UntilAsync(async () => (await probe.GetAsync("/v1/me")).StatusCode == HttpStatusCode.Unauthorized, "the API refuses the expired token");
        provider.AccessTokenLifetime = TimeSpan.FromMinutes(10);

        await console.Page.GetByLabel("Quantity received").FillAsync("3");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Receive", Exact = true }).ClickAsync();

        await Expect(console.Heading).ToHaveTextAsync("Sign in");
        await Expect(console.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your session has ended");
        await Expect(console.Page.Locator("#who")).ToBeEmptyAsync();
        Assert.Null(await StoredUserAsync(console, provider));
        await console.ScreenshotAsync("oidc-session-ended");

        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(console.Figure("on-hand")).ToHaveTextAsync("7"); // the refused receipt applied nothing
        Assert.Equal(new Uri(address, $"/console/skus/{Sku}").ToString(), console.Page.Url);
        Assert.Equal(2, provider.Exchanges.Count);
        Assert.Empty(console.ScriptErrors());
    }

    [Fact]
    public async Task TheProviderRefusesAnUnregisteredRedirectAWrongVerifierAndASecondUseOfACode()
    {
        await using var provider = await FakeIdentityProvider.StartAsync(Person);
        var redirect = new Uri("http://127.0.0.1:1/console/callback");
        provider.RegisterRedirectUri(redirect);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(provider.Issuer) };
        var verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

        Assert.Equal(HttpStatusCode.BadRequest, (await AuthorizeAsync(client, new Uri("http://127.0.0.1:2/console/callback"), challenge)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await AuthorizeAsync(client, redirect, challenge, method: "plain")).StatusCode);
        var first = await CodeAsync(client, redirect, challenge);
        var second = await CodeAsync(client, redirect, challenge);

        Assert.Equal(HttpStatusCode.OK, (await RedeemAsync(client, redirect, first, verifier)).StatusCode);
        Assert.Equal("invalid_grant", await RefusalAsync(await RedeemAsync(client, redirect, first, verifier)));
        Assert.Equal("invalid_grant", await RefusalAsync(await RedeemAsync(client, redirect, second, Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)))));
        Assert.Single(provider.Exchanges);
    }

    private static Task<HttpResponseMessage> AuthorizeAsync(HttpClient client, Uri redirect, string challenge, string method = "S256") =>
        client.GetAsync(QueryHelpers.AddQueryString("/authorize", new Dictionary<string, string?>
        {
            ["client_id"] = FakeIdentityProvider.ClientId, ["redirect_uri"] = redirect.ToString(), ["response_type"] = "code",
            ["response_mode"] = "fragment", ["code_challenge"] = challenge, ["code_challenge_method"] = method, ["state"] = "s1",
        }));

    private static async Task<string> CodeAsync(HttpClient client, Uri redirect, string challenge)
    {
        var response = await AuthorizeAsync(client, redirect, challenge);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        return QueryHelpers.ParseQuery(response.Headers.Location!.Fragment.TrimStart('#'))["code"].ToString();
    }

    private static Task<HttpResponseMessage> RedeemAsync(HttpClient client, Uri redirect, string code, string verifier) =>
        client.PostAsync("/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["client_id"] = FakeIdentityProvider.ClientId, ["redirect_uri"] = redirect.ToString(),
            ["code"] = code, ["code_verifier"] = verifier,
        }));

    /// <summary>The OAuth error (RFC 6749 §5.2) of a refused token request.</summary>
    private static async Task<string?> RefusalAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("error").GetString();
    }

    private async Task<ApiFactory> StartApiAsync(FakeIdentityProvider provider, Action<IServiceCollection> services)
    {
        var api = Fixture.CreateApi(Fixture.ClusterId, new Dictionary<string, string?>
        {
            ["Auth:Authority"] = provider.Issuer,
            ["Auth:RequireHttpsMetadata"] = "false",
            ["Console:ClientId"] = FakeIdentityProvider.ClientId,
        }, services: services);
        using var client = api.CreateClient();
        await ApiFixture.WaitUntilReadyAsync(client);
        provider.RegisterRedirectUri(new Uri(client.BaseAddress!, "/console/callback"));
        return api;
    }

    private static Uri AddressOf(ApiFactory api)
    {
        using var client = api.CreateClient();
        return client.BaseAddress!;
    }

    /// <summary>The user oidc-client-ts keeps in the tab's sessionStorage (its key names the authority and the client).</summary>
    private static Task<string?> StoredUserAsync(ConsolePage console, FakeIdentityProvider provider) =>
        console.Page.EvaluateAsync<string?>("key => sessionStorage.getItem(key)", $"oidc.user:{provider.Issuer}:{FakeIdentityProvider.ClientId}");

    /// <summary>Records every request target the API receives (path and query, exactly as sent) and any Referer.</summary>
    private sealed class RecordRequestTargets(ConcurrentQueue<string> received) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                received.Enqueue(context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget);
                if (context.Request.Headers.Referer.Count > 0)
                {
                    received.Enqueue($"Referer: {context.Request.Headers.Referer}");
                }

                return following(context);
            });
            next(app);
        };
    }
}
