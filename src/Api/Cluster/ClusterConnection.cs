namespace FurnitureOps.Api.Cluster;

/// <summary>
/// Whether this API instance can reach the silo cluster right now: connected once the Orleans client has
/// started (<see cref="ClusterClientStarter"/>), until the client reports the connection lost; a gateway
/// coming back makes it connected again.
/// </summary>
public sealed class ClusterConnection : IClusterConnectionStatusObserver
{
    private volatile bool _started;
    private volatile bool _lost;

    public bool IsStarted => _started;

    public bool IsConnected => _started && !_lost;

    public void MarkStarted() => _started = true;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        _lost = currentNumberOfGateways == 0;

    public void NotifyClusterConnectionLost() => _lost = true;
}
