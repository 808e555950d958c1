using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Events;

/// <summary>
/// The relay and dispatcher of the fixture's silo, end to end: the pull feed, signed webhooks that fail before
/// they succeed, dead letters, and the low-stock consumer applying each event exactly once (at publication, or through
/// deliveries when it failed there).
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class EventDeliveryTests(ApiFixture api)
{
    private readonly string _tenant = $"t-{Guid.NewGuid():N}";
    private readonly string _sku = $"SKU-{Guid.NewGuid():N}";
    private readonly string _secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    private HttpClient Client => field ??= api.Client(_tenant);

    [Fact]
    public async Task TheFeedReturnsTheTenantsEventsInOrderWithACursor()
    {
        await CreateSkuAsync(10);
        await SellAsync(2);
        await Poll.UntilAsync(async () => (await FeedAsync(null)).Events.Count == 2, "both events are in the feed");

        var (events, next) = await FeedAsync(null);
        Assert.Equal(["inventory.created.v1", "inventory.sold.v1"], events.Select(e => e.GetProperty("type").GetString()));
        var sold = events[1];
        Assert.Equal(_tenant, sold.GetProperty("tenantId").GetString());
        Assert.True(Guid.TryParse(sold.GetProperty("eventId").GetString(), out _));
        Assert.False(string.IsNullOrEmpty(sold.GetProperty("requestId").GetString()));
        Assert.Equal((_sku, 2L), (sold.GetProperty("aggregate").GetProperty("id").GetString(), sold.GetProperty("aggregate").GetProperty("version").GetInt64()));
        Assert.Equal(8, sold.GetProperty("data").GetProperty("onHand").GetInt64());
        Assert.True(events[0].GetProperty("position").GetInt64() < sold.GetProperty("position").GetInt64());
        Assert.Equal(sold.GetProperty("position").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), next);

        var (after, unchanged) = await FeedAsync(next);
        Assert.Empty(after);
        Assert.Equal(next, unchanged);
        var (firstOnly, _) = await FeedAsync(null, limit: 1);
        Assert.Single(firstOnly);
    }

    [Fact]
    public async Task AWebhookFailingItsFirstAttemptsStillGetsEveryEventSigned()
    {
        const int failuresPerEvent = 2;
        var attemptsByEvent = new ConcurrentDictionary<string, int>();
        await using var receiver = await WebhookReceiver.StartAsync(delivery =>
            Task.FromResult(attemptsByEvent.AddOrUpdate(delivery.EventId, 1, (_, n) => n + 1) <= failuresPerEvent ? 500 : 204));
        await RegisterWebhookAsync(receiver.Url, ["inventory.*"]);

        await CreateSkuAsync(10);
        for (var sale = 0; sale < 3; sale++)
        {
            await SellAsync(1);
        }

        var expected = await EventIdsAsync();
        Assert.Equal(4, expected.Count);
        await Poll.UntilAsync(() => Task.FromResult(expected.All(id => attemptsByEvent.TryGetValue(id, out var n) && n > failuresPerEvent)),
            "every event was delivered after its failures");

        var received = receiver.Received.ToList();
        Assert.All(received, delivery => Assert.True(WebhookSignatures.Verify(delivery, _secret), $"bad signature on {delivery.EventId}"));
        Assert.All(expected, id => Assert.Equal([1, 2, 3], received.Where(d => d.EventId == id).Select(d => d.Attempt).Order()));
        var body = JsonDocument.Parse(received.First(d => d.Attempt == 3).Body).RootElement;
        Assert.Equal(_tenant, body.GetProperty("tenantId").GetString());
        await Poll.UntilAsync(async () => await DeliveriesAsync("delivered") == 4, "the deliveries are recorded as delivered");
    }

    [Fact]
    public async Task AWebhookThatNeverSucceedsIsDeadLetteredAndCanBeRetried()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => Task.FromResult(503));
        await RegisterWebhookAsync(receiver.Url, ["inventory.created.v1"]);
        await CreateSkuAsync(10);

        await Poll.UntilAsync(async () => await DeliveriesAsync("dead") == 1, "the delivery is dead-lettered");
        Assert.Equal(4, receiver.Received.Count); // Events:MaxDeliveryAttempts in the test silo

        var deadLetters = (await (await Client.GetAsync("/v1/admin/dead-letters")).JsonAsync()).GetProperty("deadLetters").EnumerateArray().ToList();
        var letter = Assert.Single(deadLetters);
        Assert.Equal("inventory.created.v1", letter.GetProperty("eventType").GetString());
        Assert.Equal("HTTP 503", letter.GetProperty("lastError").GetString());

        var retried = await Client.PostAsync($"/v1/admin/dead-letters/{letter.GetProperty("id").GetString()}/retry", null);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        await Poll.UntilAsync(() => Task.FromResult(receiver.Received.Count > 4), "the retried delivery is attempted again");
        await (await Client.PostAsync("/v1/admin/dead-letters/delivery:0/retry", null)).AssertProblemAsync(404, "not_found");
    }

    [Fact]
    public async Task AMalformedOutboxRowIsDeadLetteredWithoutBlockingOthers()
    {
        var eventId = Guid.NewGuid();
        await LedgerRows.ExecuteAsync(api.Database, $"""
            INSERT INTO outbox (event_id, tenant_id, event_type, aggregate_type, aggregate_id, aggregate_version, payload, occurred_at, request_id)
            VALUES ('{eventId}', '{_tenant}', 'inventory.sold.v1', 'sku', '{_sku}', 1, '[1, 2]', now(), 'test')
            """);
        await CreateSkuAsync(10);

        await Poll.UntilAsync(async () => (await FeedAsync(null)).Events.Count == 1, "the good event is published");
        await Poll.UntilAsync(async () => await LedgerRows.ScalarAsync(api.Database,
            "SELECT count(*) FROM outbox_failures f JOIN outbox o ON o.id = f.outbox_id WHERE o.event_id = $1 AND f.dead_lettered_at IS NOT NULL", eventId) == 1, "the bad row is dead-lettered");

        var letter = Assert.Single((await (await Client.GetAsync("/v1/admin/dead-letters")).JsonAsync()).GetProperty("deadLetters").EnumerateArray());
        Assert.Equal(eventId.ToString(), letter.GetProperty("eventId").GetString());
        Assert.StartsWith("outbox:", letter.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Contains("not an object", letter.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        using var scraper = new HttpClient();
        await Poll.UntilAsync(async () => System.Text.RegularExpressions.Regex.IsMatch(
            await scraper.GetStringAsync($"{api.Silo.Urls.First()}/metrics"), @"(?m)^event_dead_letters(\{[^}]*\})? [1-9]"),
            "the silo's event_dead_letters gauge counts it");
    }

    [Fact]
    public async Task TheLowStockConsumerAppliesEventsInThePublishingTransactionWithoutDeliveries()
    {
        await CreateSkuAsync(10);
        var reorder = await Client.SendJsonAsync(HttpMethod.Put, $"/v1/stock-alerts/{_sku}", new { reorderPoint = 5 }, null);
        Assert.Equal(HttpStatusCode.OK, reorder.StatusCode);
        foreach (var quantity in new[] { 3, 3, 1 })
        {
            await SellAsync(quantity); // 7, 4 (alert), 3
        }

        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"/v1/inventory/{_sku}/receipts", new { quantity = 10 })).StatusCode);
        await SellAsync(9); // 13, then 4 (alert)

        Assert.Equal(6, (await EventIdsAsync()).Count);
        await Poll.UntilAsync(async () => await PublishedAsync() == 6, "the relay published every event");

        // Applied as they were published: the alerts are there, and no delivery or dedupe record was written for them.
        Assert.Equal(2, await AlertsAsync());
        Assert.Equal(0, await ConsumerDeliveriesAsync());
        Assert.Equal(0, await ProcessedAsync());
        var low = (await (await Client.GetAsync("/v1/stock-alerts?lowOnly=true")).JsonAsync()).GetProperty("skus").EnumerateArray().Single();
        Assert.Equal((_sku, 4L, 5L, true), (low.GetProperty("sku").GetString(), low.GetProperty("onHand").GetInt64(),
            low.GetProperty("reorderPoint").GetInt64(), low.GetProperty("low").GetBoolean()));
    }

    [Fact]
    public async Task AConsumerFailingAtPublicationGetsDeliveriesThatApplyOnceEvenWhenDeliveredAgain()
    {
        await CreateSkuAsync(10);
        Assert.Equal(HttpStatusCode.OK, (await Client.SendJsonAsync(HttpMethod.Put, $"/v1/stock-alerts/{_sku}", new { reorderPoint = 5 }, null)).StatusCode);
        await Poll.UntilAsync(async () => await PublishedAsync() == 1, "the creation was published");

        // The projection fails for this tenant while the flag table exists (other tests' tenants are untouched).
        var flag = $"fail_{Guid.NewGuid():N}";
        await LedgerRows.ExecuteAsync(api.Database, $$"""
            CREATE TABLE {{flag}} ();
            CREATE FUNCTION {{flag}}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.tenant_id = '{{_tenant}}' AND to_regclass('{{flag}}') IS NOT NULL THEN
                    RAISE EXCEPTION 'injected projection failure';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER {{flag}} BEFORE INSERT OR UPDATE ON stock_levels FOR EACH ROW EXECUTE FUNCTION {{flag}}();
            """);
        try
        {
            foreach (var quantity in new[] { 3, 3, 1 })
            {
                await SellAsync(quantity); // 7, 4 (alert), 3
            }

            // Publication went on without the consumer: the events are in the feed, and the consumer has deliveries.
            await Poll.UntilAsync(async () => await PublishedAsync() == 4, "the relay published the sales");
            await Poll.UntilAsync(async () => await ConsumerDeliveriesAsync("pending") == 3, "the sales became deliveries for the consumer");
            Assert.Equal(0, await AlertsAsync());

            await LedgerRows.ExecuteAsync(api.Database, $"DROP TABLE {flag}");
            await Poll.UntilAsync(async () => await ConsumerDeliveriesAsync("delivered") == 3, "the dispatcher applied them once the failure was gone");
            Assert.Equal((3L, 1L), (await ProcessedAsync(), await AlertsAsync()));

            // Deliver them again, on purpose: the dedupe records keep them from applying twice.
            await LedgerRows.ExecuteAsync(api.Database, $"""
                UPDATE event_deliveries d SET status = 'pending', next_attempt_at = now()
                FROM outbox o WHERE o.id = d.outbox_id AND o.tenant_id = '{_tenant}' AND d.subscriber = 'consumer:low-stock'
                """);
            await Poll.UntilAsync(async () => await LedgerRows.ScalarAsync(api.Database,
                """
                SELECT count(*) FROM event_deliveries d JOIN outbox o ON o.id = d.outbox_id
                WHERE o.tenant_id = $1 AND d.subscriber = 'consumer:low-stock' AND d.status = 'delivered' AND d.attempts >= 2
                """, _tenant) == 3, "every delivery was made a second time");
            Assert.Equal((3L, 1L), (await ProcessedAsync(), await AlertsAsync()));
        }
        finally
        {
            await LedgerRows.ExecuteAsync(api.Database, $"DROP TRIGGER IF EXISTS {flag} ON stock_levels; DROP FUNCTION IF EXISTS {flag}(); DROP TABLE IF EXISTS {flag}");
        }
    }

    [Fact]
    public async Task TheConsumerIgnoresMembersItDoesNotKnow()
    {
        await CreateSkuAsync(10);
        await Client.SendJsonAsync(HttpMethod.Put, $"/v1/stock-alerts/{_sku}", new { reorderPoint = 5 }, null);
        var eventId = Guid.NewGuid();
        await LedgerRows.ExecuteAsync(api.Database, $$"""
            INSERT INTO outbox (event_id, tenant_id, event_type, aggregate_type, aggregate_id, aggregate_version, payload, occurred_at, request_id)
            VALUES ('{{eventId}}', '{{_tenant}}', 'inventory.sold.v1', 'sku', '{{_sku}}', 99,
                    '{"operation": "sell", "quantity": 8, "onHand": 2, "someFutureField": {"nested": true}, "sku": "{{_sku}}"}', now(), 'test')
            """);

        await Poll.UntilAsync(async () => await AlertsAsync() == 1, "the event with unknown members raised its alert");
    }

    private async Task CreateSkuAsync(long onHand) =>
        Assert.Equal(HttpStatusCode.Created, (await Client.PostJsonAsync("/v1/inventory", new { sku = _sku, name = "Oak chair", onHand })).StatusCode);

    private async Task SellAsync(long quantity) =>
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"/v1/inventory/{_sku}/sales", new { quantity })).StatusCode);

    private async Task RegisterWebhookAsync(string url, string[] eventTypes)
    {
        var response = await Client.PostJsonAsync("/v1/webhooks", new { url, eventTypes, secret = _secret });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    private async Task<(List<JsonElement> Events, string Next)> FeedAsync(string? after, int limit = 100)
    {
        var page = await (await Client.GetAsync($"/v1/events?limit={limit}{(after is null ? "" : $"&after={after}")}")).JsonAsync();
        return (page.GetProperty("events").EnumerateArray().ToList(), page.GetProperty("next").GetString()!);
    }

    private async Task<List<string>> EventIdsAsync()
    {
        await using var command = api.Database.CreateCommand("SELECT event_id::text FROM outbox WHERE tenant_id = $1 ORDER BY id");
        command.Parameters.Add(new() { Value = _tenant });
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private Task<long> DeliveriesAsync(string status) => LedgerRows.ScalarAsync(api.Database,
        "SELECT count(*) FROM event_deliveries d JOIN outbox o ON o.id = d.outbox_id WHERE o.tenant_id = $1 AND d.status = $2 AND d.subscriber LIKE 'webhook:%'",
        _tenant, status);

    private Task<long> PublishedAsync() => LedgerRows.ScalarAsync(api.Database,
        "SELECT count(*) FROM event_feed WHERE tenant_id = $1", _tenant);

    private Task<long> ConsumerDeliveriesAsync(string? status = null) => LedgerRows.ScalarAsync(api.Database,
        """
        SELECT count(*) FROM event_deliveries d JOIN outbox o ON o.id = d.outbox_id
        WHERE o.tenant_id = $1 AND d.subscriber = 'consumer:low-stock' AND ($2::text IS NULL OR d.status = $2)
        """, _tenant, (object?)status ?? DBNull.Value);

    private Task<long> ProcessedAsync() => LedgerRows.ScalarAsync(api.Database,
        "SELECT count(*) FROM processed_events p JOIN outbox o ON o.event_id = p.event_id WHERE o.tenant_id = $1 AND p.consumer = 'low-stock'", _tenant);

    private Task<long> AlertsAsync() => LedgerRows.ScalarAsync(api.Database,
        "SELECT count(*) FROM low_stock_alerts WHERE tenant_id = $1 AND sku = $2", _tenant, _sku);
}
