using System.Net;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FurnitureOps.Tests.Console;

/// <summary>The audit view: search by entity or request id; each row's before and after as a diff.</summary>
public sealed class AuditConsoleTests(ConsoleFixture fixture, ITestOutputHelper output) : ConsoleTestBase(fixture, output)
{
    [Fact]
    public async Task ARequestsAuditRowShowsWhatChangedBeforeAndAfter()
    {
        if (NoBrowser) return;
        await CreateSkuAsync(onHand: 10);
        var receipt = await Client.PostJsonAsync($"/v1/inventory/{Sku}/receipts", new { quantity = 3 });
        Assert.Equal(HttpStatusCode.OK, receipt.StatusCode);
        var requestId = receipt.Headers.GetValues("X-Request-ID").Single();
        await using var console = await OpenAsync($"/console/audit?requestId={requestId}");

        var entry = console.Page.Locator("article.audit-entry");
        await Expect(entry).ToHaveCountAsync(1);
        await Expect(entry.Locator("h2")).ToContainTextAsync(Sku);
        var changed = entry.Locator("tr.diff-changed", new() { HasText = "onHand" });
        await Expect(changed.Locator("del")).ToHaveTextAsync("10");
        await Expect(changed.Locator("ins")).ToHaveTextAsync("13");
        await Expect(console.Page.GetByLabel("Request id")).ToHaveValueAsync(requestId);
        await console.ScreenshotAsync("audit");
        Assert.Empty(console.ScriptErrors());
        Assert.Empty(await console.AccessibilityViolationsAsync());

        // Searching by the entity finds both its rows: the creation (no before) and the receipt.
        await console.Page.GetByLabel("Request id").FillAsync("");
        await console.Page.GetByLabel("Entity id").FillAsync(Sku);
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(entry).ToHaveCountAsync(2);
        Assert.EndsWith($"/console/audit?entityId={Sku}", console.Page.Url, StringComparison.Ordinal);
        await Expect(entry.First.Locator("tr.diff-added", new() { HasText = "onHand" }).Locator("ins")).ToHaveTextAsync("10");
    }
}
