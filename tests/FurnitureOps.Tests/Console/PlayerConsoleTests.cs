using System.Net;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FurnitureOps.Tests.Console;

/// <summary>The player view: balance, tier and progress, the ledger, and a manual reward by the signed-in staff member.</summary>
public sealed class PlayerConsoleTests(ConsoleFixture fixture, ITestOutputHelper output) : ConsoleTestBase(fixture, output)
{
    private readonly string _player = $"p-{Guid.NewGuid():N}";

    [Fact]
    public async Task APlayersFiguresAreTheApisAndAManualRewardIsRecordedAsTheSignedInStaffMember()
    {
        if (NoBrowser) return;
        var accrual = await Client.PostJsonAsync($"/v1/players/{_player}/loyalty/accruals", new { points = 120, sourceType = "manual-test", sourceId = "a-1" });
        Assert.Equal(HttpStatusCode.OK, accrual.StatusCode);
        var state = await (await Client.GetAsync($"/v1/players/{_player}/loyalty")).JsonAsync();
        await using var console = await OpenAsync($"/console/players/{_player}");

        await Expect(console.Figure("balance")).ToHaveTextAsync(state.GetProperty("balance").GetInt64().ToString());
        await Expect(console.Figure("lifetime-points")).ToHaveTextAsync(state.GetProperty("lifetimePoints").GetInt64().ToString());
        await Expect(console.Figure("tier")).ToHaveTextAsync(state.GetProperty("tier").GetString()!);
        await Expect(console.Page.Locator("progress")).ToHaveAttributeAsync("value", Math.Round(state.GetProperty("tierProgress").GetDouble() * 100).ToString());
        await Expect(console.Page.GetByText("At most 10,000 points per reward")).ToBeVisibleAsync();

        await console.Page.GetByLabel("Points").FillAsync("30");
        await console.Page.GetByLabel("Reason").FillAsync("birthday");
        await console.Page.GetByRole(AriaRole.Button, new() { Name = "Reward" }).DblClickAsync();

        await Expect(console.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Rewarded 30 points: the balance is now 150.");
        await Expect(console.Figure("balance")).ToHaveTextAsync("150");
        var newest = console.Page.Locator("tbody tr").First;
        await Expect(newest.Locator("td").Nth(1)).ToHaveTextAsync("reward");
        await Expect(newest.Locator("td").Nth(7)).ToHaveTextAsync("staff-console");
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2 AND operation = 'reward' AND staff_id = 'staff-console'", Tenant, _player));
        await console.ScreenshotAsync("player");
        Assert.Empty(console.ScriptErrors());
        Assert.Empty(await console.AccessibilityViolationsAsync());
    }

    [Fact]
    public async Task ARewardOverTheLimitIsRefusedWithTheApisCodeAndWithoutLoyaltyAwardThereIsNoRewardForm()
    {
        if (NoBrowser) return;
        await using (var console = await OpenAsync($"/console/players/{_player}"))
        {
            await Expect(console.Page.GetByText("This player has no loyalty entries yet.")).ToBeVisibleAsync();
            await console.Page.GetByLabel("Points").FillAsync("10001");
            await console.Page.GetByLabel("Reason").FillAsync("too generous");

            // The browser's own max check is the first line; the API's refusal is what the page shows past it.
            await console.Page.Locator("form[aria-labelledby='reward-title']").EvaluateAsync("form => form.noValidate = true");
            await console.Page.GetByRole(AriaRole.Button, new() { Name = "Reward" }).ClickAsync();
            await Expect(console.Page.GetByRole(AriaRole.Alert).Locator(".problem-code")).ToHaveTextAsync("reward_exceeds_limit");
        }

        Assert.Equal(0, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2", Tenant, _player));
        await using var reader = await OpenAsync($"/console/players/{_player}", "loyalty:read");
        await Expect(reader.Page.GetByText("This player has no loyalty entries yet.")).ToBeVisibleAsync();
        await Expect(reader.Page.GetByRole(AriaRole.Button, new() { Name = "Reward" })).ToHaveCountAsync(0);
    }
}
