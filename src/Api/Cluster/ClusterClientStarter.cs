namespace FurnitureOps.Api.Cluster;

/// <summary>
/// Starts the Orleans client in the background instead of during host start-up, so the API listens (and
/// answers 503 <c>cluster_unavailable</c>) while no silo is up, and stops cleanly even if it never connected.
/// The first connection is retried forever by <see cref="RetryForeverConnectionFilter"/>; later reconnects
/// are the client's own.
/// </summary>
public sealed class ClusterClientStarter(IClusterClient client, ClusterConnection connection) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ((IHostedService)client).StartAsync(stoppingToken);
        connection.MarkStarted();
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (connection.IsStarted)
        {
            await ((IHostedService)client).StopAsync(cancellationToken);
        }
    }
}
