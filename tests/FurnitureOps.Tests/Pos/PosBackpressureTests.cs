using System.Net;
using FurnitureOps.Testing;
using FurnitureOps.Tests.Infrastructure;
using FurnitureOps.Grains.Events;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Pos;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FurnitureOps.Tests.Pos;

/// <summary>
/// Intake refuses with 503 <c>overloaded</c> + Retry-After, accepting nothing, while the silo holds too many
/// unfinished events, the outbox is too deep or too many deliveries are due; it accepts again once the backlog
/// drains.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class PosBackpressureTests(ApiFixture api) : PosTestBase(api)
{
    [Fact]
    public async Task TooManyUnfinishedEventsOnASiloRefuseNewOnes()
    {
        // A database of its own: the fixture's silo would otherwise sweep (and finish) this cluster's sagas.
        await using var cluster = await IsolatedCluster.StartAsync(this, "pos-bound", new Dictionary<string, string?> { ["Pos:MaxPendingEvents"] = "1" });
        var (database, client) = (cluster.Database, cluster.Client);
        var other = await CreateSkuAsync(10, client);

        string pendingId;
        await using (await InjectedWriteFailure.ForSkuLedgerAsync(database, "S1"))
        {
            var first = await PostEventAsync(Event("sale", [("S1", 1)]), "first", client);
            var accepted = await first.JsonAsync();
            Assert.Equal("pending", accepted.GetProperty("status").GetString());
            pendingId = accepted.GetProperty("eventId").GetString()!;

            var refused = await PostEventAsync(Event("sale", [(other, 1)]), "second", client);

            await refused.AssertProblemAsync(503, "overloaded");
            Assert.True(refused.Headers.RetryAfter is not null, "503 without Retry-After");
            Assert.Equal(10, await OnHandAsync(database, other));
        }

        Assert.Equal("applied", (await FinishedEventAsync(pendingId, client)).GetProperty("status").GetString());
        var retried = await PostEventAsync(Event("sale", [(other, 1)]), "second", client);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal(9, await OnHandAsync(database, other));
    }

    [Fact]
    public async Task ARepeatIsAnsweredWhileIntakeRefusesNewEvents()
    {
        await using var cluster = await IsolatedCluster.StartAsync(this, "pos-repeat", new Dictionary<string, string?> { ["Pos:MaxPendingEvents"] = "1" });
        var (database, client) = (cluster.Database, cluster.Client);
        var other = await CreateSkuAsync(10, client);
        var applied = await PostEventAsync(Event("sale", [(other, 1)]), "applied", client);
        var appliedId = (await applied.JsonAsync()).GetProperty("eventId").GetString()!;
        var grains = cluster.Silo.Services.GetRequiredService<IGrainFactory>();
        await ClusterTestActions.DeactivateAsync(grains, grains.GetGrain<IPosEventGrain>(TenantKey.Format(Tenant, appliedId)));

        await using (await InjectedWriteFailure.ForSkuLedgerAsync(database, "S1"))
        {
            var pending = await PostEventAsync(Event("sale", [("S1", 1)]), "pending", client);
            Assert.Equal("pending", (await pending.JsonAsync()).GetProperty("status").GetString());

            // The silo is at its bound, and the repeat reaches an activation that has not read its row.
            var repeat = await PostEventAsync(Event("sale", [(other, 1)]), "applied", client);
            var refused = await PostEventAsync(Event("sale", [(other, 1)]), "new", client);

            Assert.Equal(HttpStatusCode.NoContent, repeat.StatusCode);
            await refused.AssertProblemAsync(503, "overloaded");
        }

        Assert.Equal(9, await OnHandAsync(database, other));
    }

    [Fact]
    public async Task ADeepOutboxRefusesNewEventsAndNothingIsWritten()
    {
        await using var cluster = await IsolatedCluster.StartAsync(this, "pos-outbox", new Dictionary<string, string?>
        {
            ["Events:RelayEnabled"] = "false", // nothing drains the outbox
            ["Pos:MaxOutboxDepth"] = "2",
        });
        var (database, silo, client) = (cluster.Database, cluster.Silo, cluster.Client);
        for (var sale = 0; sale < 2; sale++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync("/v1/inventory/S1/sales", new { quantity = 1 })).StatusCode);
        }

        // Barrier: this silo's backlog sample (every 200 ms in tests) has seen the three unpublished rows.
        var backlog = silo.Services.GetRequiredService<EventBacklog>();
        await Poll.UntilAsync(() => Task.FromResult(backlog.Depth >= 3), "the silo sees the outbox backlog");

        var refused = await client.PostJsonAsync("/v1/pos/events", Event("sale", [("S1", 1)]), "receipt-1");

        await refused.AssertProblemAsync(503, "overloaded");
        Assert.True(refused.Headers.RetryAfter is not null, "503 without Retry-After");
        Assert.Equal(8, await LedgerRows.ScalarAsync(database, "SELECT on_hand FROM inventory_items WHERE sku = 'S1'"));
        Assert.Equal(0, await LedgerRows.ScalarAsync(database, "SELECT count(*) FROM pos_events"));
    }

    [Fact]
    public async Task DueDeliveriesPastTheBoundRefuseNewEventsButDeliveriesInBackoffDoNot()
    {
        await using var cluster = await IsolatedCluster.StartAsync(this, "pos-deliveries", new Dictionary<string, string?>
        {
            ["Events:RelayEnabled"] = "false", // no dispatcher either: deliveries stay as written
            ["Pos:MaxDueDeliveries"] = "2",
        });
        var (database, client) = (cluster.Database, cluster.Client);
        var backlog = cluster.Silo.Services.GetRequiredService<EventBacklog>();

        // Three deliveries waiting out a receiver's backoff: not due, so intake goes on.
        await InsertDeliveriesAsync(database, 3, "now() + interval '1 hour'");
        await NextSamplesAsync(backlog);
        Assert.Equal(HttpStatusCode.Created, (await PostEventAsync(Event("sale", [("S1", 1)]), "receipt-1", client)).StatusCode);

        // Three due now: the dispatchers are behind, and intake refuses new events.
        await InsertDeliveriesAsync(database, 3, "now()");
        await Poll.UntilAsync(() => Task.FromResult(backlog.DueDeliveries >= 3), "the silo sees the due deliveries");
        var refused = await PostEventAsync(Event("sale", [("S1", 1)]), "receipt-2", client);

        await refused.AssertProblemAsync(503, "overloaded");
        Assert.True(refused.Headers.RetryAfter is not null, "503 without Retry-After");
        Assert.Equal(9, await LedgerRows.ScalarAsync(database, "SELECT on_hand FROM inventory_items WHERE sku = 'S1'"));
    }

    private static Task<long> OnHandAsync(NpgsqlDataSource database, string sku) =>
        LedgerRows.ScalarAsync(database, "SELECT on_hand FROM inventory_items WHERE sku = $1", sku);

    private static async Task InsertDeliveriesAsync(NpgsqlDataSource database, int count, string due) =>
        await LedgerRows.ExecuteAsync(database, $$"""
            WITH event AS (
                INSERT INTO outbox (event_id, tenant_id, event_type, aggregate_type, aggregate_id, aggregate_version, payload, occurred_at, request_id)
                VALUES (gen_random_uuid(), 't-deliveries', 'test.delivered.v1', 'sku', 'S0', 1, '{}', now(), 'test')
                RETURNING id)
            INSERT INTO event_deliveries (outbox_id, subscriber, status, next_attempt_at, created_at)
            SELECT event.id, 'webhook:' || gen_random_uuid(), 'pending', {{due}}, now() FROM event, generate_series(1, {{count}})
            """);

    /// <summary>Barrier: two more samples, so at least one was taken wholly after what the test wrote.</summary>
    private static Task NextSamplesAsync(EventBacklog backlog)
    {
        var seen = backlog.Samples;
        return Poll.UntilAsync(() => Task.FromResult(backlog.Samples >= seen + 2), "the silo samples the backlog again");
    }

    /// <summary>A database, a silo and an API of their own, with SKU <c>S1</c> (10 on hand): for bounds set low.</summary>
    private sealed class IsolatedCluster : IAsyncDisposable
    {
        private ApiFactory _intake = null!;

        public NpgsqlDataSource Database { get; private init; } = null!;

        public Microsoft.AspNetCore.Builder.WebApplication Silo { get; private init; } = null!;

        public HttpClient Client { get; private set; } = null!;

        public static async Task<IsolatedCluster> StartAsync(PosBackpressureTests test, string name, Dictionary<string, string?> siloSettings)
        {
            var connections = await TestDatabase.CreateAsync(durable: false);
            var clusterId = $"{name}-{Guid.NewGuid():N}";
            var cluster = new IsolatedCluster
            {
                Database = NpgsqlDataSource.Create(connections.Admin),
                Silo = await SiloHost.StartAsync(connections.App, clusterId, settings: siloSettings),
            };
            cluster._intake = test.Fixture.CreateApi(clusterId, new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = connections.App });
            cluster.Client = cluster._intake.CreateClient();
            cluster.Client.DefaultRequestHeaders.Authorization = new("Bearer", test.Fixture.Token(test.Tenant, []));
            await ApiFixture.WaitUntilReadyAsync(cluster.Client);
            var created = await cluster.Client.PostJsonAsync("/v1/inventory", new { sku = "S1", name = "Oak chair", onHand = 10 });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            return cluster;
        }

        public async ValueTask DisposeAsync()
        {
            await _intake.DisposeAsync();
            await Silo.DisposeAsync();
            await Database.DisposeAsync();
        }
    }
}
