using System.Net;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FurnitureOps.Tests.Console;

/// <summary>The attention view: what waits for a person, and the action that settles it, answered in place.</summary>
public sealed class AttentionConsoleTests(ConsoleFixture fixture, ITestOutputHelper output) : ConsoleTestBase(fixture, output)
{
    private readonly string _player = $"p-{Guid.NewGuid():N}";

    [Fact]
    public async Task AStalledAccrualIsListedAndRecoverAccruesItOnceAndItLeavesTheList()
    {
        if (NoBrowser) return;
        var slipId = await StalledSlipAsync(averageBet: 20m, minutes: 10);
        await using var console = await OpenAsync("/console/attention");

        var row = console.Page.Locator("tbody tr", new() { HasText = slipId });
        await Expect(row).ToContainTextAsync("stalled");
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = _player })).ToBeVisibleAsync();
        await console.ScreenshotAsync("attention");
        Assert.Empty(await console.AccessibilityViolationsAsync());

        await row.GetByRole(AriaRole.Button, new() { Name = "Recover" }).DblClickAsync();

        await Expect(console.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Slip {slipId}: 20 points accrued.");
        await Expect(row).ToHaveCountAsync(0);
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM loyalty_ledger WHERE tenant_id = $1 AND business_key = $2", Tenant, $"rating_slip:{slipId}"));
        Assert.Equal(20, (await (await Client.GetAsync($"/v1/players/{_player}/loyalty")).JsonAsync()).GetProperty("balance").GetInt64());
        Assert.Empty(console.ScriptErrors());
    }

    [Fact]
    public async Task ALowSkuIsListedWithALinkToItsPageAndAnotherTenantsAreNot()
    {
        if (NoBrowser) return;
        await CreateSkuAsync(onHand: 2);
        Assert.Equal(HttpStatusCode.OK, (await Client.SendJsonAsync(HttpMethod.Put, $"/v1/stock-alerts/{Sku}", new { reorderPoint = 5 }, null)).StatusCode);
        await Poll.UntilAsync(async () => (await (await Client.GetAsync("/v1/stock-alerts?lowOnly=true")).JsonAsync())
            .GetProperty("skus").GetArrayLength() == 1, "the low-stock projection sees the SKU");
        await using var console = await OpenAsync("/console/attention");

        var low = console.Page.Locator("[data-section='s-low-stock'] tbody tr");
        await Expect(low).ToHaveCountAsync(1);
        await Expect(low).ToContainTextAsync(Sku);
        await low.GetByRole(AriaRole.Link, new() { Name = "Receive stock" }).ClickAsync();

        await Expect(console.Heading).ToContainTextAsync(Sku);
        await Expect(console.Page.GetByLabel("Quantity received")).ToBeVisibleAsync();
        Assert.EndsWith($"/console/skus/{Sku}", console.Page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APendingPosEventIsRetriedFromThePageAndItsSaleAppliedOnce()
    {
        if (NoBrowser) return;
        await CreateSkuAsync(onHand: 10);
        string eventId;
        await using (await InjectedWriteFailure.ForSkuLedgerAsync(Fixture.Database, Sku))
        {
            var accepted = await Client.SendJsonAsync(HttpMethod.Post, "/v1/pos/events", PosEventScenarios.Event("sale", [(Sku, 4)]), "sale-1");
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
            eventId = (await accepted.JsonAsync()).GetProperty("eventId").GetString()!;
            await PosEventScenarios.PostponeNextAttemptAsync(Fixture.Database, Tenant, eventId);
        }

        await using var console = await OpenAsync("/console/attention");
        var pos = console.Page.Locator("[data-section='s-pos-events']");
        var row = pos.Locator("tbody tr", new() { HasText = eventId });
        await Expect(row).ToContainTextAsync("pending");
        await row.GetByRole(AriaRole.Button, new() { Name = "Retry now" }).DblClickAsync();

        await Expect(pos.GetByRole(AriaRole.Status)).ToHaveTextAsync($"POS event {eventId} is now applied.");
        await Expect(row).ToHaveCountAsync(0);
        Assert.Equal(6, await LedgerRows.OnHandAsync(Fixture.Database, Tenant, Sku));
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2 AND operation = 'sell'", Tenant, Sku));
        Assert.Empty(console.ScriptErrors());
    }

    [Fact]
    public async Task APosEventNeedingAttentionIsResolvedWithANoteFromThePage()
    {
        if (NoBrowser) return;
        await CreateSkuAsync(onHand: 1);
        var eventId = (await PosEventScenarios.NeedsAttentionAsync(Fixture.Database, Client, Tenant, Sku, "return-1")).ToString();

        await using var console = await OpenAsync("/console/attention");
        var pos = console.Page.Locator("[data-section='s-pos-events']");
        var row = pos.Locator("tbody tr", new() { HasText = eventId });
        await Expect(row).ToContainTextAsync("insufficient_stock");
        await console.ScreenshotAsync("attention-pos");
        Assert.Empty(await console.AccessibilityViolationsAsync());
        await row.GetByLabel("Resolution note").FillAsync("counted the shelf; ticket 17");
        await row.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).DblClickAsync();

        await Expect(pos.GetByRole(AriaRole.Status)).ToHaveTextAsync($"POS event {eventId} resolved.");
        await Expect(row).ToHaveCountAsync(0);
        var view = await (await Client.GetAsync($"/v1/pos/events/{eventId}")).JsonAsync();
        var resolution = view.GetProperty("resolution");
        Assert.Equal(("resolved", "counted the shelf; ticket 17", "staff-console"),
            (view.GetProperty("status").GetString(), resolution.GetProperty("note").GetString(), resolution.GetProperty("resolvedBy").GetString()));
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND entity_type = 'pos_event' AND entity_id = $2 AND action = 'pos.event_resolved'",
            Tenant, eventId));
        Assert.Empty(console.ScriptErrors());
    }

    /// <summary>A completed slip whose accrual failed; the console's silo stalls it at the first failure.</summary>
    private async Task<string> StalledSlipAsync(decimal averageBet, int minutes)
    {
        var opened = await Client.PostJsonAsync("/v1/rating-slips", new { playerId = _player, game = "roulette", averageBet });
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var slipId = (await opened.JsonAsync()).GetProperty("slipId").GetString()!;
        await using (await InjectedWriteFailure.ForPlayerLedgerAsync(Fixture.Database, _player))
        {
            var completed = await Client.PostJsonAsync($"/v1/rating-slips/{slipId}/complete", new { minutesPlayed = minutes });
            Assert.Equal(HttpStatusCode.Accepted, completed.StatusCode);
            Assert.Equal("stalled", (await completed.JsonAsync()).GetProperty("slip").GetProperty("accrual").GetString());
        }

        return slipId;
    }
}
