using FurnitureOps.Silo;
using FurnitureOps.Silo.Events;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace FurnitureOps.Tests.Events;

/// <summary>
/// The janitor's purges and the webhook deletion read only what they touch (each has an index the planner
/// uses), and consumers' processed-event records are purged after the deliveries' retention. A database of
/// its own; the janitor runs as the application role, so its grants are tested too.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class HousekeepingTests
{
    [Theory]
    [InlineData("SELECT id FROM event_deliveries WHERE status IN ('delivered', 'cancelled') AND created_at <= now() LIMIT 1000",
        "event_deliveries_finished")]
    [InlineData("UPDATE event_deliveries SET status = 'cancelled' WHERE subscriber = 'webhook:x' AND status = 'pending'",
        "event_deliveries_pending_by_subscriber")]
    [InlineData("SELECT ctid FROM processed_events WHERE processed_at <= now() LIMIT 1000", "processed_events_age")]
    public async Task APurgeOrCancellationCanReadThroughItsIndex(string statement, string index)
    {
        var connections = await TestDatabase.CreateAsync(durable: false);
        await using var database = NpgsqlDataSource.Create(connections.Admin);
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        // With sequential scans priced out, the plan names the index if there is one that can serve the statement.
        await new NpgsqlCommand("SET LOCAL enable_seqscan = off", connection, transaction).ExecuteNonQueryAsync();
        var plan = new List<string>();
        await using (var reader = await new NpgsqlCommand($"EXPLAIN {statement}", connection, transaction).ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(0));
            }
        }

        Assert.Contains(plan, line => line.Contains(index, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProcessedEventRecordsArePurgedAfterTheDeliveriesRetention()
    {
        var connections = await TestDatabase.CreateAsync(durable: false);
        await using var admin = NpgsqlDataSource.Create(connections.Admin);
        await using var app = NpgsqlDataSource.Create(connections.App);
        var now = DateTimeOffset.UtcNow;
        await LedgerRows.ExecuteAsync(admin, $"""
            INSERT INTO processed_events (consumer, event_id, processed_at) VALUES
                ('low-stock', gen_random_uuid(), '{now.AddDays(-8):O}'),
                ('low-stock', gen_random_uuid(), '{now.AddDays(-1):O}')
            """);
        var janitor = new ExpiryJanitor(app, new FurnitureOps.Grains.GrainClock(new FakeTimeProvider(now)),
            Microsoft.Extensions.Options.Options.Create(new EventDeliveryOptions { DeliveredRetention = TimeSpan.FromDays(7) }),
            NullLogger<ExpiryJanitor>.Instance);

        await janitor.PurgeExpiredAsync(CancellationToken.None);

        Assert.Equal(1, await LedgerRows.ScalarAsync(admin, "SELECT count(*) FROM processed_events"));
        Assert.Equal(0, await LedgerRows.ScalarAsync(admin, $"SELECT count(*) FROM processed_events WHERE processed_at < '{now.AddDays(-7):O}'"));
    }
}
