using FurnitureOps.Grains.Events;
using Npgsql;

namespace FurnitureOps.Silo.Telemetry;

/// <summary>
/// Counts undelivered outbox rows every few seconds for the <c>outbox_depth</c> gauge: gauges are read on the
/// scrape thread, which must not wait on the database.
/// </summary>
public sealed partial class OutboxDepthMonitor(NpgsqlDataSource dataSource, OutboxBacklog backlog, ILogger<OutboxDepthMonitor> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            do
            {
                try
                {
                    await using var command = dataSource.CreateCommand("SELECT count(*) FROM outbox WHERE delivered_at IS NULL");
                    var depth = Convert.ToInt64(await command.ExecuteScalarAsync(stoppingToken));
                    SiloMetrics.SetOutboxDepth(depth);
                    backlog.Observe(depth);
                }
                catch (NpgsqlException error)
                {
                    LogCountFailed(logger, error);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Counting the outbox failed; the gauge keeps its last value")]
    private static partial void LogCountFailed(ILogger logger, Exception error);
}
