using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Events;

/// <summary>
/// One slow webhook does not hold up the others: with two silos dispatching, a receiver in tenant A that holds
/// every request takes at most its share of each dispatcher's slots, tenant B's deliveries go through
/// meanwhile, and no (event, attempt) is ever sent twice.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class DeliveryIsolationTests(ApiFixture api)
{
    private const string Secret = "0123456789abcdef0123456789abcdef-secret";
    private static readonly string[] InventoryEvents = ["inventory.*"];

    [Fact]
    public async Task ASlowReceiverHoldsOnlyItsOwnSlotsAndNoAttemptIsSentTwice()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var slow = await WebhookReceiver.StartAsync(async _ =>
        {
            await release.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return 204;
        });
        await using var quick = await WebhookReceiver.StartAsync(_ => Task.FromResult(204));
        var second = await SiloHost.StartAsync(api.ConnectionString, api.ClusterId); // a second dispatcher
        try
        {
            var (tenantA, tenantB) = ($"t-{Guid.NewGuid():N}", $"t-{Guid.NewGuid():N}");
            var a = api.Client(tenantA);
            var b = api.Client(tenantB);
            await RegisterAsync(a, slow.Url);
            await RegisterAsync(b, quick.Url);

            // A's twelve events first, so a dispatcher taking due deliveries in order meets all of them before B's five.
            await SellAsync(a, sales: 11);
            await SellAsync(b, sales: 4);

            // The slow receiver answers nothing until released; the webhook timeout (10 s) is far off.
            await Poll.UntilAsync(() => Task.FromResult(quick.Received.Select(delivery => delivery.EventId).Distinct().Count() == 5),
                "B's five events are delivered while A's receiver holds every request", TimeSpan.FromSeconds(8));
            Assert.False(release.Task.IsCompleted);
            Assert.InRange(slow.Received.Count, 1, 2 * 2); // Events:DeliveriesPerSubscriber (2) on each of the two silos

            release.SetResult();
            await Poll.UntilAsync(async () => await DeliveredAsync(tenantA) == 12, "A's twelve events are delivered once released",
                TimeSpan.FromSeconds(60));

            var attempts = slow.Received.Concat(quick.Received).Select(delivery => (delivery.EventId, delivery.Attempt)).ToList();
            Assert.Equal(attempts.Count, attempts.Distinct().Count());
            Assert.Equal(12, slow.Received.Select(delivery => delivery.EventId).Distinct().Count());
        }
        finally
        {
            release.TrySetResult();
            await second.StopAsync();
            await second.DisposeAsync();
        }
    }

    private static async Task RegisterAsync(HttpClient tenant, string url) =>
        Assert.Equal(HttpStatusCode.Created, (await tenant.PostJsonAsync("/v1/webhooks", new { url, eventTypes = InventoryEvents, secret = Secret })).StatusCode);

    private static async Task SellAsync(HttpClient tenant, int sales)
    {
        Assert.Equal(HttpStatusCode.Created, (await tenant.PostJsonAsync("/v1/inventory", new { sku = "CHAIR-1", name = "Oak chair", onHand = 100 })).StatusCode);
        for (var sale = 0; sale < sales; sale++)
        {
            Assert.Equal(HttpStatusCode.OK, (await tenant.PostJsonAsync("/v1/inventory/CHAIR-1/sales", new { quantity = 1 })).StatusCode);
        }
    }

    private Task<long> DeliveredAsync(string tenant) => LedgerRows.ScalarAsync(api.Database,
        "SELECT count(*) FROM event_deliveries d JOIN outbox o ON o.id = d.outbox_id WHERE o.tenant_id = $1 AND d.status = 'delivered' AND d.subscriber LIKE 'webhook:%'",
        tenant);
}
