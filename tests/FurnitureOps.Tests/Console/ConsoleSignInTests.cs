using FurnitureOps.Api.Auth;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FurnitureOps.Tests.Console;

/// <summary>How the console gets, keeps and loses its token.</summary>
public sealed class ConsoleSignInTests(ConsoleFixture fixture, ITestOutputHelper output) : ConsoleTestBase(fixture, output)
{
    [Fact]
    public async Task TheDevelopmentLinksTokenLeavesTheAddressBarAndIsKeptOnlyInSessionStorage()
    {
        if (NoBrowser) return;
        await using var console = await OpenAsync("/console/");

        await Expect(console.Heading).ToHaveTextAsync("FurnitureOps console");
        Assert.Equal($"{Fixture.ApiAddress.ToString().TrimEnd('/')}/console/", console.Page.Url);
        Assert.NotNull(await console.Page.EvaluateAsync<string?>("sessionStorage.getItem('furnitureops.console.token')"));
        Assert.Equal(0, await console.Page.EvaluateAsync<int>("localStorage.length"));
        await Expect(console.Page.Locator("#who")).ToContainTextAsync($"staff-console · {Tenant}");
        await console.ScreenshotAsync("home");
        Assert.Empty(console.ScriptErrors());
        Assert.Empty(await console.AccessibilityViolationsAsync());

        // A reload keeps the session (same tab); signing out ends it.
        await console.Page.ReloadAsync();
        await Expect(console.Heading).ToHaveTextAsync("FurnitureOps console");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(console.Heading).ToHaveTextAsync("Sign in");
        Assert.Null(await console.Page.EvaluateAsync<string?>("sessionStorage.getItem('furnitureops.console.token')"));
    }

    [Fact]
    public async Task AnExpiredTokenGoesToSignInAndAFreshOneComesBackToTheSamePage()
    {
        if (NoBrowser) return;
        await CreateSkuAsync(onHand: 7);

        // Expired an hour ago, well past the bearer handler's clock skew.
        var expired = DevTokens.Issue(Fixture.SigningKey, Tenant, "staff-console", Scopes.All, TimeSpan.FromHours(1), issuedAt: DateTime.UtcNow.AddHours(-2));
        await using var console = await ConsolePage.OpenAsync(Fixture, $"/console/skus/{Sku}", expired);

        await Expect(console.Heading).ToHaveTextAsync("Sign in");
        await Expect(console.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Your session has ended");
        Assert.Null(await console.Page.EvaluateAsync<string?>("sessionStorage.getItem('furnitureops.console.token')"));
        await console.ScreenshotAsync("sign-in");
        Assert.Empty(await console.AccessibilityViolationsAsync());

        await console.Page.GetByLabel("Development token").FillAsync(ConsolePage.Token(Fixture, Tenant));
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(console.Figure("on-hand")).ToHaveTextAsync("7");
        Assert.EndsWith($"/console/skus/{Sku}", console.Page.Url, StringComparison.Ordinal);
    }
}
