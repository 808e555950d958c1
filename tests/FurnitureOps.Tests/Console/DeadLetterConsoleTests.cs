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
        await using var webhook = await FailingWebhook.RegisterAsync(Client, CreatedEvents);
        await CreateSkuAsync(onHand: 1);
        await Poll.UntilAsync(async () => (await DeadLettersAsync()).Count == 1, "the delivery is dead-lettered");
        var letter = Assert.Single(await DeadLettersAsync());

        await using var console = await OpenAsync("/console/dead-letters");
        var row = console.Page.Locator("tbody tr", new() { HasText = letter });
        await Expect(row).ToContainTextAsync("HTTP 503");
        await Expect(row).ToContainTextAsync("inventory.created.v1");
        await console.ScreenshotAsync("dead-letters");
        Assert.Empty(await console.AccessibilityViolationsAsync());

        webhook.Recover();
        await row.GetByRole(AriaRole.Button, new() { Name = "Retry", Exact = true }).ClickAsync();

        await Expect(console.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"{letter} is queued again.");
        await Expect(row).ToHaveCountAsync(0);
        await Poll.UntilAsync(() => Task.FromResult(webhook.Receiver.Received.Count > 4), "the retried delivery is attempted again");
        await Poll.UntilAsync(async () => (await DeadLettersAsync()).Count == 0, "the delivery is no longer dead");
        Assert.Empty(console.ScriptErrors());
    }

    [Fact]
    public async Task RetryAllRetriesEveryDeadDeliveryOfThatSubscriber()
    {
        if (NoBrowser) return;
        await using var webhook = await FailingWebhook.RegisterAsync(Client, SoldEvents);
        await CreateSkuAsync(onHand: 5);
        for (var sale = 0; sale < 2; sale++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 1 })).StatusCode);
        }

        await Poll.UntilAsync(async () => (await DeadLettersAsync()).Count == 2, "both deliveries are dead-lettered");
        await using var console = await OpenAsync("/console/dead-letters");
        await Expect(console.Page.Locator("tbody tr")).ToHaveCountAsync(2);

        webhook.Recover();
        var failedAttempts = webhook.Receiver.Received.Count;
        await console.Page.GetByRole(AriaRole.Button, new() { Name = $"Retry all 2 for {webhook.Subscriber}" }).ClickAsync();

        await Expect(console.Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"2 deliveries to {webhook.Subscriber} are queued again.");
        await Expect(console.Page.GetByText("Nothing is waiting: every event was delivered.")).ToBeVisibleAsync();
        await Poll.UntilAsync(() => Task.FromResult(webhook.Receiver.Received.Skip(failedAttempts).Select(delivery => delivery.EventId).Distinct().Count() == 2),
            "both are delivered");
    }

    /// <summary>A webhook of the test's tenant whose receiver answers 503 until <see cref="Recover"/>.</summary>
    private sealed class FailingWebhook : IAsyncDisposable
    {
        private volatile bool _up;

        private FailingWebhook(WebhookReceiver receiver) => Receiver = receiver;

        public WebhookReceiver Receiver { get; }

        /// <summary>The dead letters' subscriber name: <c>webhook:{id}</c>.</summary>
        public string Subscriber { get; private set; } = string.Empty;

        public static async Task<FailingWebhook> RegisterAsync(HttpClient client, string[] eventTypes)
        {
            FailingWebhook? webhook = null;
            var receiver = await WebhookReceiver.StartAsync(_ => Task.FromResult(webhook!._up ? 200 : 503));
            webhook = new FailingWebhook(receiver);
            var registration = await client.PostJsonAsync("/v1/webhooks",
                new { url = receiver.Url, eventTypes, secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) });
            Assert.Equal(HttpStatusCode.Created, registration.StatusCode);
            webhook.Subscriber = $"webhook:{(await registration.JsonAsync()).GetProperty("id").GetString()}";
            return webhook;
        }

        public void Recover() => _up = true;

        public ValueTask DisposeAsync() => Receiver.DisposeAsync();
    }

    private async Task<List<string>> DeadLettersAsync() =>
        (await (await Client.GetAsync("/v1/admin/dead-letters")).JsonAsync()).GetProperty("deadLetters").EnumerateArray()
            .Select(letter => letter.GetProperty("id").GetString()!).ToList();
}
