using System.Net;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FurnitureOps.Tests.Console;

/// <summary>The SKU view in a real browser: figures, chart, ledger and the stock actions.</summary>
public sealed class SkuConsoleTests(ConsoleFixture fixture, ITestOutputHelper output) : ConsoleTestBase(fixture, output)
{
    [Fact]
    public async Task TheSkuPageShowsTheApisFiguresAndADoubleClickedReceiptIsOneReceipt()
    {
        if (NoBrowser) return;
        await CreateSkuAsync(onHand: 10);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 2 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.SendJsonAsync(HttpMethod.Put, $"/v1/stock-alerts/{Sku}", new { reorderPoint = 4 }, null)).StatusCode);
        var item = await (await Client.GetAsync($"/v1/inventory/{Sku}")).JsonAsync();
        await using var console = await OpenAsync($"/console/skus/{Sku}");

        // The figures are the API's.
        await Expect(console.Figure("on-hand")).ToHaveTextAsync(item.GetProperty("onHand").GetInt64().ToString());
        await Expect(console.Figure("sold")).ToHaveTextAsync(item.GetProperty("sold").GetInt64().ToString());
        await Expect(console.Figure("reserved")).ToHaveTextAsync(item.GetProperty("reserved").GetInt64().ToString());
        await Expect(console.Figure("available")).ToHaveTextAsync(item.GetProperty("available").GetInt64().ToString());
        await Expect(console.Figure("reorder-point")).ToHaveTextAsync("4");
        await Expect(console.Page.Locator(".chart canvas")).ToHaveAttributeAsync("aria-label", "On hand over the last 2 changes: from 10 to 8.");
        await Expect(console.Page.Locator("table tbody tr")).ToHaveCountAsync(2);
        await console.ScreenshotAsync("sku");

        // Receive 3 with a double click: one receipt.
        await console.Page.GetByLabel("Quantity received").FillAsync("3");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Receive", Exact = true }).DblClickAsync();
        await Expect(console.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Received 3: on hand is now 11.");

        await Expect(console.Figure("on-hand")).ToHaveTextAsync("11");
        var newest = console.Page.Locator("table tbody tr").First;
        await Expect(newest.Locator("td").Nth(1)).ToHaveTextAsync("receive");
        await Expect(newest.Locator("td").Nth(3)).ToHaveTextAsync("8 → 11");
        await Expect(console.Page.Locator("table tbody tr")).ToHaveCountAsync(3);
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2 AND operation = 'receive'", Tenant, Sku));
        Assert.Equal(11, (await (await Client.GetAsync($"/v1/inventory/{Sku}")).JsonAsync()).GetProperty("onHand").GetInt64());
        await LedgerRows.AssertChainIntactAsync(Fixture.Database, Tenant, Sku);
        await console.ScreenshotAsync("sku-after-receipt");
        Assert.Empty(console.ScriptErrors());
        Assert.Empty(await console.AccessibilityViolationsAsync());
    }

    [Fact]
    public async Task TheLedgerPagesNewestFirstAndBack()
    {
        if (NoBrowser) return;
        await CreateSkuAsync(onHand: 0);
        for (var receipt = 1; receipt <= 24; receipt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"/v1/inventory/{Sku}/receipts", new { quantity = 1 })).StatusCode);
        }

        await using var console = await OpenAsync($"/console/skus/{Sku}");
        var versions = console.Page.Locator("tbody tr td:first-child");

        await Expect(versions).ToHaveCountAsync(20);
        await Expect(versions.First).ToHaveTextAsync("25");
        await Expect(versions.Last).ToHaveTextAsync("6");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Older" }).ClickAsync();
        await Expect(versions).ToHaveTextAsync(["5", "4", "3", "2", "1"]);
        await Expect(console.Page.GetByRole(AriaRole.Button, new() { Name = "Older" })).ToHaveCountAsync(0);
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Newest" }).ClickAsync();
        await Expect(versions.First).ToHaveTextAsync("25");
    }

    [Fact]
    public async Task AReceiptCanBeMadeWithTheKeyboardAlone()
    {
        if (NoBrowser) return;
        await CreateSkuAsync(onHand: 1);
        await using var console = await OpenAsync($"/console/skus/{Sku}");
        await Expect(console.Figure("on-hand")).ToHaveTextAsync("1");

        // From the heading (focused when the view renders), Tab reaches the field in page order.
        var quantity = console.Page.GetByLabel("Quantity received");
        for (var presses = 0; presses < 40 && !await quantity.EvaluateAsync<bool>("input => input === document.activeElement"); presses++)
        {
            await console.Page.Keyboard.PressAsync("Tab");
        }

        await Expect(quantity).ToBeFocusedAsync();
        await console.Page.Keyboard.TypeAsync("4");
        await console.Page.Keyboard.PressAsync("Enter");

        await Expect(console.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Received 4: on hand is now 5.");
        await Expect(console.Figure("on-hand")).ToHaveTextAsync("5");
    }

    [Fact]
    public async Task ATokenWithoutInventoryAdminSeesNoAdjustAction()
    {
        if (NoBrowser) return;
        await CreateSkuAsync(onHand: 5);
        await using var console = await OpenAsync($"/console/skus/{Sku}", "inventory:read", "inventory:write");

        await Expect(console.Figure("on-hand")).ToHaveTextAsync("5");
        await Expect(console.Page.GetByRole(AriaRole.Button, new() { Name = "Receive", Exact = true })).ToBeVisibleAsync();
        await Expect(console.Page.GetByRole(AriaRole.Button, new() { Name = "Adjust" })).ToHaveCountAsync(0);
        await Expect(console.Page.GetByRole(AriaRole.Button, new() { Name = "Set reorder point" })).ToHaveCountAsync(0);
        await Expect(console.Page.GetByRole(AriaRole.Link, new() { Name = "Audit", Exact = true })).ToBeHiddenAsync();
    }

    [Fact]
    public async Task AnAdjustmentRefusedByTheApiShowsItsCodeAndDetailAndChangesNothing()
    {
        if (NoBrowser) return;
        await CreateSkuAsync(onHand: 5);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostJsonAsync($"/v1/inventory/{Sku}/reservations", new { quantity = 4 })).StatusCode);
        await using var console = await OpenAsync($"/console/skus/{Sku}");
        await Expect(console.Figure("reserved")).ToHaveTextAsync("4");

        await console.Page.GetByLabel("Counted on hand").FillAsync("2");
        await console.Page.GetByLabel("Reason").FillAsync("stock take");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Adjust" }).ClickAsync();

        var problem = console.Page.GetByRole(AriaRole.Alert);
        await Expect(problem.Locator(".problem-code")).ToHaveTextAsync("reservations_exceed_stock");
        await Expect(problem.Locator(".problem-detail")).Not.ToBeEmptyAsync();
        await Expect(console.Figure("on-hand")).ToHaveTextAsync("5");
        Assert.Equal(0, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2 AND operation = 'adjust'", Tenant, Sku));
        await console.ScreenshotAsync("sku-problem");
    }
}
