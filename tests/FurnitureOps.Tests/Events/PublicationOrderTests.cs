using System.Text.RegularExpressions;
using FurnitureOps.Silo.Events;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FurnitureOps.Tests.Events;

/// <summary>
/// The relay publishes an insert-only outbox by one position (migration 0010). Transactions commit in any
/// order, so a row written by an older transaction may commit after a newer one's: it must still be published,
/// once, and never behind the position. And a database that was migrated with events published, waiting,
/// failing and dead-lettered carries each of them over. Each test has a server and database of its own, and
/// runs the relay by hand (no silo), so nothing else publishes.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class PublicationOrderTests
{
    [Fact]
    public async Task ARowWhoseTransactionCommitsLateIsPublishedOnceAndInOrder()
    {
        var connections = await TestDatabase.CreateAsync(durable: false);
        await using var database = NpgsqlDataSource.Create(connections.Admin);
        await using var app = NpgsqlDataSource.Create(connections.App);
        var relay = Relay(app);

        // The older transaction writes first (it holds the smaller transaction id and row id) and commits last.
        await using var older = await database.OpenConnectionAsync();
        await using var olderTransaction = await older.BeginTransactionAsync();
        var early = await InsertEventAsync(older, "early");
        long late;
        await using (var newer = await database.OpenConnectionAsync())
        {
            late = await InsertEventAsync(newer, "late");
        }

        await relay.PublishBatchAsync(CancellationToken.None);
        Assert.Equal(0, await LedgerRows.ScalarAsync(database, "SELECT count(*) FROM event_feed"));

        await olderTransaction.CommitAsync();
        await relay.PublishBatchAsync(CancellationToken.None);
        await relay.PublishBatchAsync(CancellationToken.None);

        Assert.Equal([early, late], await FeedAsync(database));
        Assert.Equal(0, await LedgerRows.ScalarAsync(database, "SELECT count(*) FROM outbox_unpublished"));
    }

    [Fact]
    public async Task MigratingCarriesOverPublishedWaitingFailingAndDeadLetteredEvents()
    {
        var (_, connections) = await TestDatabase.CreateWithServerAsync(durable: false, migrateThrough: "0009");
        await using var database = NpgsqlDataSource.Create(connections.Admin);

        // Before 0010 the relay marked rows: two published (positions 1 and 2, the second with the larger id),
        // one still waiting with a smaller id than a published one, one more waiting, one failing, one dead.
        var waitingFirst = await InsertOldRowAsync(database, "waiting-1", "");
        var publishedLater = await InsertOldRowAsync(database, "published-2", ", delivered_at = now(), feed_position = 2");
        var publishedFirst = await InsertOldRowAsync(database, "published-1", ", delivered_at = now(), feed_position = 1");
        var failing = await InsertOldRowAsync(database, "failing", ", publish_attempts = 2, last_error = 'boom', next_attempt_at = now() + interval '1 hour'");
        var dead = await InsertOldRowAsync(database, "dead", ", publish_attempts = 5, last_error = 'boom', dead_lettered_at = now()");
        var waitingLast = await InsertOldRowAsync(database, "waiting-2", "");

        TestDatabase.Migrate(connections);

        Assert.Equal([publishedFirst, publishedLater], await FeedAsync(database));
        Assert.Equal(3, await LedgerRows.ScalarAsync(database, "SELECT count(*) FROM outbox_unpublished"));
        Assert.Equal(1, await LedgerRows.ScalarAsync(database,
            "SELECT count(*) FROM outbox_failures f JOIN outbox o ON o.id = f.outbox_id WHERE o.event_type = 'dead.v1' AND f.dead_lettered_at IS NOT NULL AND f.attempts = 5"));

        await using var app = NpgsqlDataSource.Create(connections.App);
        var relay = Relay(app);
        await relay.PublishBatchAsync(CancellationToken.None);
        await relay.PublishBatchAsync(CancellationToken.None);

        Assert.Equal([publishedFirst, publishedLater, waitingFirst, waitingLast], await FeedAsync(database));
        Assert.Equal(1, await LedgerRows.ScalarAsync(database, "SELECT count(*) FROM outbox_unpublished")); // the failing row, not yet due
        Assert.Equal(2, await LedgerRows.ScalarAsync(database, "SELECT count(*) FROM outbox_failures WHERE outbox_id IN ($1, $2)", failing, dead));
    }

    [Fact]
    public async Task TheDownScriptTakesPublicationBackForTheOldReleaseAndTheMigrationRunsAgain()
    {
        var (_, connections) = await TestDatabase.CreateWithServerAsync(durable: false, migrateThrough: "0009");
        await using var database = NpgsqlDataSource.Create(connections.Admin);
        var publishedBefore = await InsertOldRowAsync(database, "published-1", ", delivered_at = now(), feed_position = 1");
        var dead = await InsertOldRowAsync(database, "dead", ", publish_attempts = 5, last_error = 'boom', dead_lettered_at = now()");
        TestDatabase.Migrate(connections);
        await using var app = NpgsqlDataSource.Create(connections.App);
        var publishedAfter = await InsertEventAsync(await app.OpenConnectionAsync(), "published-2");
        await Relay(app).PublishBatchAsync(CancellationToken.None);
        var waiting = await InsertEventAsync(await app.OpenConnectionAsync(), "waiting");

        await using (var owner = NpgsqlDataSource.Create(connections.Owner))
        {
            await LedgerRows.ExecuteAsync(owner, await File.ReadAllTextAsync(Path.Combine(Root, "deploy/sql/0010-insert-only-outbox-down.sql")));
        }

        // As the release before 0010 reads it: published rows with their positions, the dead letter, one row waiting.
        Assert.Equal(
            [(publishedBefore, 1L), (publishedAfter, 2L)],
            await PairsAsync(database, "SELECT id, feed_position FROM outbox WHERE delivered_at IS NOT NULL ORDER BY feed_position"));
        Assert.Equal([(dead, 5L)], await PairsAsync(database, "SELECT id, publish_attempts FROM outbox WHERE dead_lettered_at IS NOT NULL"));
        Assert.Equal([(waiting, 0L)], await PairsAsync(database, "SELECT id, publish_attempts FROM outbox WHERE delivered_at IS NULL AND dead_lettered_at IS NULL"));
        Assert.Equal(0, await LedgerRows.ScalarAsync(database, "SELECT count(*) FROM pg_tables WHERE tablename IN ('event_feed', 'outbox_failures', 'outbox_relay_position')"));

        TestDatabase.Migrate(connections); // upgrading again re-runs 0010 on what the old release left
        await Relay(app).PublishBatchAsync(CancellationToken.None);

        Assert.Equal([publishedBefore, publishedAfter, waiting], await FeedAsync(database));
        Assert.Equal(1, await LedgerRows.ScalarAsync(database,
            "SELECT count(*) FROM outbox_failures WHERE outbox_id = $1 AND dead_lettered_at IS NOT NULL", dead));
    }

    [Fact]
    public async Task APositionAheadOfTheServerPublishesNothingUntilTheRestoreStepIsRun()
    {
        var connections = await TestDatabase.CreateAsync(durable: false);
        await using var database = NpgsqlDataSource.Create(connections.Admin);
        await using var app = NpgsqlDataSource.Create(connections.App);
        var relay = Relay(app);
        var before = await InsertEventAsync(await app.OpenConnectionAsync(), "before-dump");
        await relay.PublishBatchAsync(CancellationToken.None);

        // What a pg_dump restored into a younger server looks like: rows and position from far ahead.
        await LedgerRows.ExecuteAsync(database, """
            UPDATE outbox SET txid = (txid::text::bigint + 1000000000)::text::xid8;
            UPDATE outbox_relay_position SET last_txid = (last_txid::text::bigint + 1000000000)::text::xid8;
            """);
        var after = await InsertEventAsync(await app.OpenConnectionAsync(), "after-restore");

        Assert.Equal(0, await relay.PublishBatchAsync(CancellationToken.None));
        Assert.Equal([before], await FeedAsync(database));

        var operations = await File.ReadAllTextAsync(Path.Combine(Root, "docs/operations.md"));
        var step = Regex.Match(operations, @"## After a logical restore.*?```sql\n(?<sql>.*?)```", RegexOptions.Singleline).Groups["sql"].Value;
        await using (var owner = NpgsqlDataSource.Create(connections.Owner))
        {
            await LedgerRows.ExecuteAsync(owner, step);
        }

        await relay.PublishBatchAsync(CancellationToken.None);
        Assert.Equal([before, after], await FeedAsync(database));
    }

    private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));

    private static async Task<List<(long, long)>> PairsAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var pairs = new List<(long, long)>();
        while (await reader.ReadAsync())
        {
            pairs.Add((reader.GetInt64(0), Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return pairs;
    }

    private static OutboxRelay Relay(NpgsqlDataSource app) => new(
        app, [], Options.Create(new EventDeliveryOptions()), NullLogger<OutboxRelay>.Instance);

    private static async Task<long> InsertEventAsync(NpgsqlConnection connection, string name)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO outbox (event_id, tenant_id, event_type, aggregate_type, aggregate_id, aggregate_version, payload, occurred_at, request_id)
            VALUES (gen_random_uuid(), 't-order', $1 || '.v1', 'sku', $1, 1, '{}', now(), 'test')
            RETURNING id
            """, connection);
        command.Parameters.Add(new() { Value = name });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<long> InsertOldRowAsync(NpgsqlDataSource database, string name, string marks)
    {
        await using var connection = await database.OpenConnectionAsync();
        var id = await InsertEventAsync(connection, name);
        if (marks.Length > 0)
        {
            await LedgerRows.ExecuteAsync(database, $"UPDATE outbox SET event_type = event_type {marks} WHERE id = {id}");
        }

        return id;
    }

    /// <summary>The published outbox ids in feed order.</summary>
    private static async Task<List<long>> FeedAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand("SELECT outbox_id FROM event_feed ORDER BY position");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }
}
