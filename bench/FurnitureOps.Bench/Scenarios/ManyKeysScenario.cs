using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FurnitureOps.Bench.Load;
using FurnitureOps.Bench.Targets;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Inventory;
using Npgsql;

namespace FurnitureOps.Bench.Scenarios;

/// <summary>
/// Whether a SKU costs more the more idempotency records it holds. It should not: an activation reads only the
/// state row, and a fresh key is not looked up (an old key is read on demand). For each record count, a fresh
/// tenant's SKU is created through its grain and given that many live records straight in the table, as a day
/// of traffic would leave them; then its activation (deactivate, then the first read) and its sales (one caller,
/// one at a time, fresh keys) are timed.
/// </summary>
/// <remarks>
/// Grains only: deactivating a grain takes the Orleans client, and over HTTP the figures would be the API's.
/// Run after the other scenarios, since the records stay in the table.
/// </remarks>
public static class ManyKeysScenario
{
    public const string Name = "many-keys";

    public const string Description = "one SKU with 10,000, then 1,000,000 live idempotency records: activation and sale times (grains only)";

    private const string Sku = "MANY-KEYS";
    private const int Activations = 30;
    private const int Sales = 200;
    private const int UnmeasuredSales = 5;

    private static readonly long[] RecordCounts = [10_000, 1_000_000];
    private static readonly TimeSpan DeactivationBound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan QuietBound = TimeSpan.FromSeconds(60);

    // A million rows into a table with two indexes, durably, on a shared machine: well past Npgsql's default 30 s.
    private const int SetUpTimeoutSeconds = 600;

    /// <summary>Measures every record count in turn; the activations and sales of each are bounded by <paramref name="bound"/>.</summary>
    /// <param name="grains">The grain target, whose Orleans client creates, deactivates and calls the SKU.</param>
    /// <param name="database">A superuser data source on FurnitureOps' database (the records are inserted directly).</param>
    /// <param name="bound">Longest the measured part for one record count may take.</param>
    public static async Task<ManyKeysResult> RunAsync(GrainTarget grains, NpgsqlDataSource database, TimeSpan bound)
    {
        var rows = new List<ManyKeysRow>();
        foreach (var records in RecordCounts)
        {
            var tenant = $"bench-many-{Guid.NewGuid():N}"[..40];
            await grains.CreateSkusAsync(tenant, [Sku], onHand: 1_000);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  inserting {records:N0} live idempotency records for one SKU..."));
            var insertSeconds = await InsertRecordsAsync(database, tenant, records);
            await WaitUntilQuietAsync(database);

            using var deadline = new CancellationTokenSource(bound);
            var activation = await TimeActivationsAsync(grains, tenant, deadline.Token);
            var (sale, errors) = await TimeSalesAsync(grains, tenant, deadline.Token);
            rows.Add(new ManyKeysRow(records, insertSeconds, activation, sale, errors));
        }

        return new ManyKeysResult(rows);
    }

    /// <summary>One <c>INSERT … SELECT … generate_series</c> as the superuser, then a vacuum and a checkpoint; the insert's seconds.</summary>
    private static async Task<double> InsertRecordsAsync(NpgsqlDataSource database, string tenant, long records)
    {
        // The scope and reply shape the grain itself writes, so these are rows it could read back as a sale's reply.
        var reply = JsonSerializer.Serialize(
            SkuReply.Applied(new SkuSnapshot(Sku, "Bench chair", 999, 1, 2, DateTimeOffset.UtcNow)), JsonSerializerOptions.Web);
        var started = Stopwatch.GetTimestamp();
        await using (var insert = database.CreateCommand(
            """
            INSERT INTO idempotency_records (tenant_id, scope, key, fingerprint, reply, created_at, expires_at)
            SELECT $1, $2, 'old-' || i, 'bench-many-keys', $3::jsonb, now() - interval '1 hour', now() + interval '23 hours'
            FROM generate_series(1, $4::bigint) AS i
            """))
        {
            insert.CommandTimeout = SetUpTimeoutSeconds;
            insert.Parameters.Add(new() { Value = tenant });
            insert.Parameters.Add(new() { Value = $"{SkuTables.Schema.EntityType}:{Sku}" });
            insert.Parameters.Add(new() { Value = reply });
            insert.Parameters.Add(new() { Value = records });
            await insert.ExecuteNonQueryAsync();
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        // Autovacuum would take up the new rows soon, maybe while we measure; do it now, as it would have been done
        // in the day the records took to accumulate.
        // Likewise a checkpoint would long have written the new pages out.
        foreach (var sql in new[] { "VACUUM (ANALYZE) idempotency_records", "CHECKPOINT" })
        {
            await using var command = database.CreateCommand(sql);
            command.CommandTimeout = SetUpTimeoutSeconds;
            await command.ExecuteNonQueryAsync();
        }

        return seconds;
    }

    /// <summary>
    /// Waits (at most <see cref="QuietBound"/>) until the silo's background work has caught up: no event left to
    /// publish, no delivery due. Otherwise the relay, still working off the scenario before, would share the
    /// machine with the first record count's measurement and not with the second's.
    /// </summary>
    private static async Task WaitUntilQuietAsync(NpgsqlDataSource database)
    {
        var deadline = DateTime.UtcNow + QuietBound;
        while (true)
        {
            await using var command = database.CreateCommand(
                """
                SELECT NOT EXISTS (SELECT FROM outbox_unpublished)
                   AND NOT EXISTS (SELECT FROM event_deliveries WHERE status = 'pending' AND next_attempt_at <= now())
                """);
            if ((bool)(await command.ExecuteScalarAsync())!)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                Console.Error.WriteLine($"  the silo still had events to relay after {QuietBound.TotalSeconds:F0} s; measuring anyway");
                return;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Deactivate, then time the first read; one unmeasured round first, for code not yet compiled.</summary>
    private static async Task<Timing> TimeActivationsAsync(GrainTarget grains, string tenant, CancellationToken cancellationToken)
    {
        var milliseconds = new List<double>();
        for (var round = 0; round <= Activations && !cancellationToken.IsCancellationRequested; round++)
        {
            await grains.DeactivateSkuAsync(tenant, Sku, DeactivationBound);
            var started = Stopwatch.GetTimestamp();
            var snapshot = await grains.GetSkuAsync(tenant, Sku);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (snapshot is null)
            {
                throw new InvalidOperationException($"{tenant}/{Sku} was not found after its activation.");
            }

            if (round > 0)
            {
                milliseconds.Add(elapsed);
            }
        }

        return Timing.Of(milliseconds);
    }

    /// <summary>
    /// Sequential sales of quantity 1, each under a new key; the answered ones' latencies and the others' count.
    /// The first few are not measured, as with activations.
    /// </summary>
    private static async Task<(Timing Sale, int Errors)> TimeSalesAsync(GrainTarget grains, string tenant, CancellationToken cancellationToken)
    {
        var milliseconds = new List<double>();
        var errors = 0;
        for (var i = -UnmeasuredSales; i < Sales && !cancellationToken.IsCancellationRequested; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var answer = await grains.SendAsync(new BenchRequest(Operation.Sell, Sku, 1, $"many-keys-sale-{i}"), tenant, client: 0, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i < 0)
            {
                continue;
            }

            if (answer.Status == 200)
            {
                milliseconds.Add(elapsed);
            }
            else
            {
                errors++;
            }
        }

        return (Timing.Of(milliseconds), errors);
    }
}
