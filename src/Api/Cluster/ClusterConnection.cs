namespace FurnitureOps.Api.Cluster;

/// <summary>
/// Whether this API instance can reach the silo cluster right now. Connected once the Orleans client has
/// finished starting (the host signals ApplicationStarted), until the client reports the connection lost;
/// a recovered gateway makes it connected again.
/// </summary>
public sealed class ClusterConnection(IHostApplicationLifetime lifetime) : IClusterConnectionStatusObserver
{
    private volatile bool _lost;

    public bool IsConnected => lifetime.ApplicationStarted.IsCancellationRequested && !_lost;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        _lost = currentNumberOfGateways == 0;

    public void NotifyClusterConnectionLost() => _lost = true;
}
