using Npgsql;

namespace FurnitureOps.Bench.Targets;

/// <summary>
/// Counts a target's PostgreSQL connections while a run goes on, from <c>pg_stat_activity</c> through the admin
/// data source, so "the silo holds a fixed budget" is measured at the server rather than taken from configuration.
/// Connections are told apart by <c>application_name</c> (<see cref="Target.ConnectionHolder"/>).
/// </summary>
/// <remarks>
/// Sampling cannot miss a pool's peak by much: Npgsql keeps a pooled connection open while idle (it prunes only
/// after minutes), so a connection opened between two samples is still there at the next one.
/// </remarks>
public sealed class ConnectionSampler(NpgsqlDataSource admin)
{
    /// <summary>Time between samples: small next to a run, cheap for the server (a read of shared memory).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(15);

    // Client backends only: the server's own processes (autovacuum, WAL writer…) belong to no target.
    private const string Sql = """
        SELECT coalesce(application_name, ''), count(*)::int FROM pg_stat_activity
        WHERE backend_type = 'client backend' GROUP BY 1
        """;

    /// <summary>
    /// Runs <paramref name="run"/> while sampling every <see cref="Interval"/>, once before it starts and once after
    /// it ends; sampling stops when the run does, or after <paramref name="bound"/> whichever comes first.
    /// </summary>
    public async Task<(T Result, ConnectionPeaks Peaks)> SampleWhileAsync<T>(Target target, TimeSpan bound, Func<Task<T>> run)
    {
        var peaks = new Dictionary<string, int>();
        var together = 0;
        var samples = 0;

        // A sample is never cancelled half-way (it takes a millisecond or so); only the wait between samples is.
        async Task SampleAsync()
        {
            var counts = new Dictionary<string, int>();
            await using (var command = admin.CreateCommand(Sql))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    if (target.ConnectionHolder(reader.GetString(0)) is { } holder)
                    {
                        counts[holder] = counts.GetValueOrDefault(holder) + reader.GetInt32(1);
                    }
                }
            }

            // Only this method writes the peaks, and its calls never overlap (see below).
            foreach (var (holder, count) in counts)
            {
                peaks[holder] = Math.Max(peaks.GetValueOrDefault(holder), count);
            }

            together = Math.Max(together, counts.Values.Sum());
            samples++;
        }

        await SampleAsync();
        using var stop = new CancellationTokenSource(bound);
        var sampling = Task.Run(async () =>
        {
            try
            {
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(Interval, stop.Token);
                    await SampleAsync();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // the run ended, or the bound passed
            }
        });

        T result;
        try
        {
            result = await run();
        }
        finally
        {
            await stop.CancelAsync();
            await sampling;
        }

        await SampleAsync();
        return (result, new ConnectionPeaks(peaks, together, samples));
    }
}
