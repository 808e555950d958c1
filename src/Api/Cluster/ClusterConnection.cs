namespace FurnitureOps.Api.Cluster;

/// <summary>
/// The Orleans client's link to the silo cluster: started once the client has connected for the first time
/// (<see cref="ClusterClientStarter"/>); connected while it holds a connection to at least one gateway.
/// </summary>
public sealed class ClusterConnection : IClusterConnectionStatusObserver
{
    private volatile bool _started;
    private volatile bool _noGateway;

    /// <summary>
    /// The client has connected once. From then on grain calls should be made even while no gateway connection is
    /// open: the client opens connections to live gateways only when a call needs one (and fails the call fast
    /// when it knows none), so refusing calls because the last connection dropped would keep it from ever
    /// reconnecting.
    /// </summary>
    public bool IsStarted => _started;

    /// <summary>The client holds a connection to at least one gateway right now.</summary>
    public bool IsConnected => _started && !_noGateway;

    public void MarkStarted() => _started = true;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        _noGateway = currentNumberOfGateways == 0;

    public void NotifyClusterConnectionLost() => _noGateway = true;
}
