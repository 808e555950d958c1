using System.Collections.Concurrent;
using FurnitureOps.Silo.Events;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FurnitureOps.Tests.Events;

/// <summary>
/// An internal consumer gets each published batch in the transaction that publishes it. When it fails there,
/// its events become deliveries, and the dispatcher never gives it two events of one aggregate at once (they
/// would only queue on the aggregate's row lock) while other aggregates' events run beside them, a round of
/// them in one transaction. Runs on a database and silo of its own, with a recording consumer.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class DeliveryLaneTests
{
    private const int EventsPerAggregate = 15;
    private static readonly string[] Aggregates = ["S1", "S2", "S3"];

    [Fact]
    public async Task OneAggregatesEventsReachAConsumerOneAtATime()
    {
        var connections = await TestDatabase.CreateAsync(durable: false);
        await using var database = NpgsqlDataSource.Create(connections.Admin);
        var recorder = new RecordingConsumer();
        await using var silo = await SiloHost.StartAsync(connections.App, $"lanes-{Guid.NewGuid():N}",
            services: services => services.AddSingleton<IEventConsumer>(recorder), settings: ParkFailedDeliveries);

        // Interleaved, so a batch holds several events of every aggregate; all of them go to the dispatcher.
        recorder.Failing = true;
        for (var i = 0; i < EventsPerAggregate; i++)
        {
            foreach (var aggregate in Aggregates)
            {
                await LedgerRows.ExecuteAsync(database, $$"""
                    INSERT INTO outbox (event_id, tenant_id, event_type, aggregate_type, aggregate_id, aggregate_version, payload, occurred_at, request_id)
                    VALUES ('{{Guid.NewGuid()}}', 't-lanes', 'lanes.recorded.v1', 'sku', '{{aggregate}}', {{i + 1}}, '{}', now(), 'test')
                    """);
            }
        }

        await ResumeThroughTheDispatcherAsync(database, recorder, EventsPerAggregate * Aggregates.Length);
        await Poll.UntilAsync(() => Task.FromResult(recorder.Applied.Count == EventsPerAggregate * Aggregates.Length),
            "every event reached the consumer", TimeSpan.FromSeconds(60));

        Assert.Equal(0, recorder.SameAggregateOverlaps);
        Assert.All(Aggregates, aggregate => Assert.Equal(EventsPerAggregate, recorder.Applied.Count(applied => applied == aggregate)));
    }

    [Fact]
    public async Task ABatchReachesTheConsumerInThePublishingTransactionWithoutDeliveries()
    {
        var connections = await TestDatabase.CreateAsync(durable: false);
        await using var database = NpgsqlDataSource.Create(connections.Admin);
        var recorder = new RecordingConsumer();
        await using var silo = await SiloHost.StartAsync(connections.App, $"publication-{Guid.NewGuid():N}",
            services: services => services.AddSingleton<IEventConsumer>(recorder));

        await InsertThirtyEventsAsync(database);

        await Poll.UntilAsync(() => Task.FromResult(recorder.Applied.Count == 30), "every event reached the consumer", TimeSpan.FromSeconds(60));
        await Poll.UntilAsync(async () => await LedgerRows.ScalarAsync(database, "SELECT count(*) FROM outbox_unpublished") == 0,
            "every event is published");
        Assert.Equal(0, await LedgerRows.ScalarAsync(database, "SELECT count(*) FROM event_deliveries"));
        Assert.Equal(0, await LedgerRows.ScalarAsync(database, "SELECT count(*) FROM processed_events"));
        var transactions = await LedgerRows.ScalarAsync(database, "SELECT count(DISTINCT xmin::text) FROM event_feed");
        Assert.True(transactions <= 3, $"30 events were published in {transactions} transactions.");
    }

    [Fact]
    public async Task AConsumersRoundOfEventsCommitsInOneTransaction()
    {
        var connections = await TestDatabase.CreateAsync(durable: false);
        await using var database = NpgsqlDataSource.Create(connections.Admin);
        var recorder = new RecordingConsumer { Failing = true };
        await using var silo = await SiloHost.StartAsync(connections.App, $"rounds-{Guid.NewGuid():N}",
            services: services => services.AddSingleton<IEventConsumer>(recorder), settings: ParkFailedDeliveries);

        await InsertThirtyEventsAsync(database);
        await ResumeThroughTheDispatcherAsync(database, recorder, 30);

        await Poll.UntilAsync(() => Task.FromResult(recorder.Applied.Count == 30), "every event reached the consumer", TimeSpan.FromSeconds(60));
        await Poll.UntilAsync(async () => await LedgerRows.ScalarAsync(database,
            "SELECT count(*) FROM event_deliveries WHERE subscriber = 'consumer:lanes-test' AND status = 'delivered'") == 30,
            "every delivery is marked delivered");

        var transactions = await LedgerRows.ScalarAsync(database,
            "SELECT count(DISTINCT xmin::text) FROM processed_events WHERE consumer = 'lanes-test'");
        Assert.True(transactions <= 3, $"30 events were applied in {transactions} transactions.");
    }

    // One event for each of 30 aggregates, committed at once, so one round (or one publication) takes them all.
    private static Task InsertThirtyEventsAsync(NpgsqlDataSource database) => LedgerRows.ExecuteAsync(database, """
        INSERT INTO outbox (event_id, tenant_id, event_type, aggregate_type, aggregate_id, aggregate_version, payload, occurred_at, request_id)
        SELECT gen_random_uuid(), 't-rounds', 'lanes.recorded.v1', 'sku', 'S' || i, 1, '{}', now(), 'test'
        FROM generate_series(1, 30) AS i
        """);

    // A failed delivery waits half an hour for its next attempt, so the test decides when the dispatcher retries.
    private static readonly Dictionary<string, string?> ParkFailedDeliveries = new()
    {
        ["Events:InitialBackoff"] = "00:30:00",
        ["Events:MaxBackoff"] = "01:00:00",
    };

    /// <summary>
    /// Waits until the failing consumer's events are all deliveries (it failed at publication) and each has
    /// failed once through the dispatcher too (so none is in flight), then lets the consumer succeed and makes
    /// them due at once, so the dispatcher's next round applies them.
    /// </summary>
    private static async Task ResumeThroughTheDispatcherAsync(NpgsqlDataSource database, RecordingConsumer recorder, int events)
    {
        await Poll.UntilAsync(async () => await LedgerRows.ScalarAsync(database,
            """
            SELECT count(*) FROM event_deliveries
            WHERE subscriber = 'consumer:lanes-test' AND status = 'pending' AND last_error IS NOT NULL AND next_attempt_at > now() + interval '10 minutes'
            """) == events,
            "every event became a delivery for the consumer, and failed once there", TimeSpan.FromSeconds(60));
        recorder.Failing = false;
        await LedgerRows.ExecuteAsync(database, "UPDATE event_deliveries SET next_attempt_at = now() WHERE status = 'pending'");
    }

    /// <summary>Records which aggregate each event belonged to, and whether one aggregate was ever in two calls at once.</summary>
    private sealed class RecordingConsumer : IEventConsumer
    {
        private readonly ConcurrentDictionary<string, int> _inFlight = new();
        private int _overlaps;

        public string Name => "lanes-test";

        public string TypePrefix => "lanes.";

        public ConcurrentBag<string> Applied { get; } = [];

        public int SameAggregateOverlaps => Volatile.Read(ref _overlaps);

        /// <summary>While set, every call fails (before it records anything).</summary>
        public bool Failing
        {
            get => Volatile.Read(ref field);
            set => Volatile.Write(ref field, value);
        }

        public async Task ApplyAsync(IReadOnlyList<PublishedEvent> events, NpgsqlConnection connection, NpgsqlTransaction transaction,
            CancellationToken cancellationToken)
        {
            if (Failing)
            {
                throw new InvalidOperationException("The recording consumer fails on purpose.");
            }

            foreach (var published in events)
            {
                if (_inFlight.AddOrUpdate(published.AggregateId, 1, (_, count) => count + 1) > 1)
                {
                    Interlocked.Increment(ref _overlaps);
                }

                // The work a projection does while it holds the aggregate's row: long enough for a second delivery
                // of the same aggregate to arrive if the dispatcher sent one.
                await Task.Delay(20, cancellationToken);
                _inFlight.AddOrUpdate(published.AggregateId, 0, (_, count) => count - 1);
                Applied.Add(published.AggregateId);
            }
        }
    }
}
