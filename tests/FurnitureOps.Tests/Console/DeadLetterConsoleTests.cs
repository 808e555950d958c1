using System.Net;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace FurnitureOps.Tests.Console;

/// <summary>The dead-letters view: undelivered events with their last error, retried from the page.</summary>
public sealed class DeadLetterConsoleTests(ConsoleFixture fixture, ITestOutputHelper output) : ConsoleTestBase(fixture, output)
{
    private static readonly string[] CreatedEvents = ["inventory.created.v1"];
    private static readonly string[] SoldEvents = ["inventory.sold.v1"];

    [Fact]
    public async Task ADeadLetterIsRetriedFromThePageAndDelivered()
    {
        if (NoBrowser) return;
        var receiverUp = false;
        await using var receiver = await WebhookReceiver.StartAsync(_ => Task.FromResult(Volatile.Read(ref receiverUp) ? 200 : 503));
        var registration = await Client.PostJsonAsync("/v1/webhooks", new { url = receiver.Url, eventTypes = CreatedEvents, secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) });
        Assert.Equal(HttpStatusCode.Created, registration.StatusCode);
        await CreateSkuAsync(onHand: 1);
        await Poll.UntilAsync(async () => (await DeadLettersAsync()).Count == 1, "the delivery is dead-lettered");
        var letter = Assert.Single(await DeadLettersAsync());

        await using var console = await OpenAsync("/console/dead-letters");
        var row = console.Page.Locator("tbody tr", new() { HasText = letter });
        await Expect(row).ToContainTextAsync("HTTP 503");
        await Expect(row).ToContainTextAsync("inventory.created.v1");
        await console.ScreenshotAsync("dead-letters");
        Assert.Empty(await console.AccessibilityViolationsAsync());

        Volatile.Write(ref receiverUp, true);
        await row.GetByRole(AriaRole.Button, new() { Name = "Retry", Exact = true }).ClickAsync();

        await Expect(console.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"{letter} is queued again.");
        await Expect(row).ToHaveCountAsync(0);
        await Poll.UntilAsync(() => Task.FromResult(receiver.Received.Count > 4), "the retried delivery is attempted again");
        await Poll.UntilAsync(async () => (await DeadLettersAsync()).Count == 0, "the delivery is no longer dead");
        Assert.Empty(console.ScriptErrors());
    }

    [Fact]
    public async Task RetryAllRetriesEveryDeadDeliveryOfThatSubscriber()
    {
        if (NoBrowser) return;
        var receiverUp = false;
        await using var receiver = await WebhookReceiver.StartAsync(_ => Task.FromResult(Volatile.Read(ref receiverUp) ? 200 : 503));
        var registration = await Client.PostJsonAsync("/v1/webhooks", new { url = receiver.Url, eventTypes = SoldEvents, secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) });
        Assert.Equal(HttpStatusCode.Created, registration.StatusCode);
        var subscriber = $"webhook:{(await registration.JsonAsync()).GetProperty("id").GetString()}";
        await CreateSkuAsync(onHand: 5);
        for (var sale = 0; sale < 2; sale++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 1 })).StatusCode);
        }

        await Poll.UntilAsync(async () => (await DeadLettersAsync()).Count == 2, "both deliveries are dead-lettered");
        await using var console = await OpenAsync("/console/dead-letters");
        await Expect(console.Page.Locator("tbody tr")).ToHaveCountAsync(2);

        Volatile.Write(ref receiverUp, true);
        var failedAttempts = receiver.Received.Count;
        await console.Page.GetByRole(AriaRole.Button, new() { Name = $"Retry all 2 for {subscriber}" }).ClickAsync();

        await Expect(console.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"2 deliveries to {subscriber} are queued again.");
        await Expect(console.Page.GetByText("Nothing is waiting: every event was delivered.")).ToBeVisibleAsync();
        await Poll.UntilAsync(() => Task.FromResult(receiver.Received.Skip(failedAttempts).Select(delivery => delivery.EventId).Distinct().Count() == 2),
            "both are delivered");
    }

    private async Task<List<string>> DeadLettersAsync() =>
        (await (await Client.GetAsync("/v1/admin/dead-letters")).JsonAsync()).GetProperty("deadLetters").EnumerateArray()
            .Select(letter => letter.GetProperty("id").GetString()!).ToList();
}
