using System.Collections.Concurrent;
using FurnitureOps.Testing;
using FurnitureOps.Tests.Infrastructure;
using Npgsql;

namespace FurnitureOps.Tests.Events;

/// <summary>
/// A silo killed (SIGKILL) in the middle of a delivery batch loses no event: a new silo publishes what was left
/// and re-delivers what was in flight once its lease ends. Then two silos relay side by side and no attempt is
/// made twice. On a database of its own, so no other relay takes part.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class RelayCrashTests
{
    private const string Secret = "relay-crash-test-secret-0123456789abcdef";
    private readonly string _tenant = $"t-{Guid.NewGuid():N}";

    [Fact]
    public async Task KillingTheRelayMidBatchLosesNoEventAndTwoRelaysNeverRepeatAnAttempt()
    {
        var connections = await TestDatabase.CreateAsync(durable: false);
        await using var database = NpgsqlDataSource.Create(connections.Admin);
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var receiver = await WebhookReceiver.StartAsync(async _ =>
        {
            if (killed.Task.IsCompleted)
            {
                return 204;
            }

            holding.TrySetResult(); // a delivery is in flight: the test kills its silo now
            await killed.Task;
            return 500; // nobody is listening any more
        });
        await LedgerRows.ExecuteAsync(database, $$"""
            INSERT INTO webhook_subscriptions (id, tenant_id, url, event_types, secret, fingerprint, created_by, created_at)
            VALUES ('{{Guid.NewGuid()}}', '{{_tenant}}', '{{receiver.Url}}', '{}', '{{Secret}}', 'test', 'test', now())
            """);
        var firstEvents = await AppendEventsAsync(database, 20);

        // Phase 1: a silo process delivers; while its first batch is in flight, kill -9.
        await using (var doomed = SiloProcess.Start(connections.App, $"doomed-{Guid.NewGuid():N}", new Dictionary<string, string>
        {
            ["Events__PollInterval"] = "00:00:00.050",
            ["Events__Lease"] = "00:00:03",
            ["Events__WebhookTimeout"] = "00:00:02",
        }))
        {
            await holding.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await doomed.Process.KillAsync();
            killed.SetResult();
        }

        var lateEvents = await AppendEventsAsync(database, 10); // written while no relay runs

        // Phase 2: two fresh silos take over; the killed silo's claims become due when their lease ends.
        var clusterId = $"relay-{Guid.NewGuid():N}";
        var settings = new Dictionary<string, string?> { ["Events:Lease"] = "00:00:03", ["Events:WebhookTimeout"] = "00:00:02" };
        await using var first = await SiloHost.StartAsync(connections.App, clusterId, settings: settings);
        await using var second = await SiloHost.StartAsync(connections.App, clusterId, settings: settings);
        var moreEvents = await AppendEventsAsync(database, 100);

        var all = firstEvents.Concat(lateEvents).Concat(moreEvents).ToList();
        await Poll.UntilAsync(async () => await LedgerRows.ScalarAsync(database,
            "SELECT count(*) FROM event_deliveries WHERE status = 'delivered' AND subscriber LIKE 'webhook:%'") == all.Count,
            "every event is delivered", TimeSpan.FromSeconds(60));

        var received = receiver.Received.ToList();
        Assert.All(all, id => Assert.Contains(received, delivery => delivery.EventId == id));
        Assert.All(received, delivery => Assert.True(WebhookSignatures.Verify(delivery, Secret), $"bad signature on {delivery.EventId}"));
        Assert.Contains(received, delivery => firstEvents.Contains(delivery.EventId) && delivery.Attempt >= 2); // in flight at the kill, re-delivered
        var repeatedAttempts = received.GroupBy(d => (d.EventId, d.Attempt)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(repeatedAttempts);
        Assert.All(moreEvents, id => Assert.Equal([1], received.Where(d => d.EventId == id).Select(d => d.Attempt)));
        Assert.Equal(all.Count, await LedgerRows.ScalarAsync(database,
            "SELECT count(DISTINCT position) FROM event_feed"));
    }

    private async Task<List<string>> AppendEventsAsync(NpgsqlDataSource database, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.NewGuid().ToString()).ToList();
        foreach (var id in ids)
        {
            await LedgerRows.ExecuteAsync(database, $$"""
                INSERT INTO outbox (event_id, tenant_id, event_type, aggregate_type, aggregate_id, aggregate_version, payload, occurred_at, request_id)
                VALUES ('{{id}}', '{{_tenant}}', 'inventory.received.v1', 'sku', 'S1', 1, '{"onHand": 1}', now(), 'test')
                """);
        }

        return ids;
    }
}
