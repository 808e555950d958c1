using FurnitureOps.Silo;
using FurnitureOps.Silo.Events;
using FurnitureOps.Silo.Sagas;
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
    [InlineData("SELECT ctid FROM pos_events WHERE status IN ('applied', 'rejected', 'resolved') AND updated_at <= now() LIMIT 1000",
        "pos_events_finished")]
    [InlineData("SELECT ctid FROM rating_slips WHERE status IN ('accrued') AND updated_at <= now() LIMIT 1000", "rating_slips_finished")]
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

        await Janitor(app, now).PurgeExpiredAsync(CancellationToken.None);

        Assert.Equal(1, await LedgerRows.ScalarAsync(admin, "SELECT count(*) FROM processed_events"));
        Assert.Equal(0, await LedgerRows.ScalarAsync(admin, $"SELECT count(*) FROM processed_events WHERE processed_at < '{now.AddDays(-7):O}'"));
    }

    [Fact]
    public async Task SagasFinishedForGoodArePurgedAfterTheirRetentionAndNoOtherSagaIs()
    {
        var connections = await TestDatabase.CreateAsync(durable: false);
        await using var admin = NpgsqlDataSource.Create(connections.Admin);
        await using var app = NpgsqlDataSource.Create(connections.App);
        var now = DateTimeOffset.UtcNow;
        var (old, recent) = (now.AddDays(-31).ToString("O"), now.AddDays(-29).ToString("O"));
        await LedgerRows.ExecuteAsync(admin, $$"""
            INSERT INTO pos_events (tenant_id, event_id, version, status, saga, next_attempt_at, created_at, updated_at) VALUES
                ('t', 'applied-old', 2, 'applied', '{}', NULL, '{{old}}', '{{old}}'),
                ('t', 'rejected-old', 2, 'rejected', '{}', NULL, '{{old}}', '{{old}}'),
                ('t', 'resolved-old', 3, 'resolved', '{}', NULL, '{{old}}', '{{old}}'),
                ('t', 'applied-recent', 2, 'applied', '{}', NULL, '{{recent}}', '{{recent}}'),
                ('t', 'attention-old', 2, 'needs_attention', '{}', NULL, '{{old}}', '{{old}}'),
                ('t', 'pending-old', 3, 'pending', '{}', '{{old}}', '{{old}}', '{{old}}');
            INSERT INTO rating_slips (tenant_id, slip_id, version, status, saga, next_attempt_at, created_at, updated_at) VALUES
                ('t', 'accrued-old', 3, 'accrued', '{}', NULL, '{{old}}', '{{old}}'),
                ('t', 'open-old', 1, 'open', '{}', NULL, '{{old}}', '{{old}}'),
                ('t', 'stalled-old', 4, 'accrual_stalled', '{}', NULL, '{{old}}', '{{old}}');
            """);

        await Janitor(app, now).PurgeExpiredAsync(CancellationToken.None);

        Assert.Equal("applied-recent, attention-old, pending-old", await KeysAsync(admin, "SELECT string_agg(event_id, ', ' ORDER BY event_id) FROM pos_events"));
        Assert.Equal("open-old, stalled-old", await KeysAsync(admin, "SELECT string_agg(slip_id, ', ' ORDER BY slip_id) FROM rating_slips"));
    }

    private static ExpiryJanitor Janitor(NpgsqlDataSource app, DateTimeOffset now) => new(
        app, new FurnitureOps.Grains.GrainClock(new FakeTimeProvider(now)),
        Microsoft.Extensions.Options.Options.Create(new EventDeliveryOptions { DeliveredRetention = TimeSpan.FromDays(7) }),
        Microsoft.Extensions.Options.Options.Create(new SagaOptions { FinishedRetention = TimeSpan.FromDays(30) }),
        NullLogger<ExpiryJanitor>.Instance);

    private static async Task<string?> KeysAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return (string?)await command.ExecuteScalarAsync();
    }
}
