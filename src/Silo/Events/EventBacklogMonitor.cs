using FurnitureOps.Grains.Events;
using FurnitureOps.Silo.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FurnitureOps.Silo.Events;

/// <summary>
/// Samples the event backlog for the gauges and for POS intake's backpressure (<see cref="EventBacklog"/>).
/// Gauges are read on the scrape thread and intake on the request path; neither may wait on the database.
/// </summary>
public sealed partial class EventBacklogMonitor(
    NpgsqlDataSource dataSource, EventBacklog backlog, IOptions<EventDeliveryOptions> options, ILogger<EventBacklogMonitor> logger)
    : BackgroundService
{
    /// <summary>Takes one sample now.</summary>
    public async Task SampleAsync(CancellationToken cancellationToken)
    {
        // The position first, then the rows after it with the position as constants: the planner then estimates
        // the range from the index's actual end (a few rows) and reads just those. Joined to the position row
        // (as the outbox_unpublished view is), it cannot know the range and may scan the whole outbox.
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var position = new NpgsqlCommand("SELECT last_txid::text, last_id FROM outbox_relay_position", connection);
        string lastTxid;
        long lastId;
        await using (var reader = await position.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (lastTxid, lastId) = (reader.GetString(0), reader.GetInt64(1));
        }

        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM outbox WHERE (txid, id) > ($1::xid8, $2))
                 + (SELECT count(*) FROM outbox_failures WHERE dead_lettered_at IS NULL),
                   (SELECT count(*) FROM event_deliveries WHERE status = 'pending'),
                   (SELECT count(*) FROM outbox_failures WHERE dead_lettered_at IS NOT NULL)
                 + (SELECT count(*) FROM event_deliveries WHERE status = 'dead'),
                   (SELECT count(*) FROM pos_events_needing_attention WHERE resolved_at IS NULL),
                   (SELECT count(*) FROM event_deliveries WHERE status = 'pending' AND next_attempt_at <= now())
            """, connection);
        command.Parameters.Add(new() { Value = lastTxid });
        command.Parameters.Add(new() { Value = lastId });
        long depth, pending, dead, attention, due;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (depth, pending, dead, attention, due) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
        }

        backlog.Observe(depth, due);
        SiloMetrics.SetEventBacklog(depth, pending, dead, attention);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.BacklogSampleInterval);
        try
        {
            do
            {
                try
                {
                    await SampleAsync(stoppingToken);
                }
                catch (NpgsqlException error)
                {
                    LogSampleFailed(logger, error);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sampling the event backlog failed; the gauges keep their last values")]
    private static partial void LogSampleFailed(ILogger logger, Exception error);
}
