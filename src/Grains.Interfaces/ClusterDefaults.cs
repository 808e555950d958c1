using Orleans.Configuration;

namespace FurnitureOps.Grains.Interfaces;

/// <summary>
/// Cluster and service id shared by silos and clients unless configuration (section <c>Orleans</c>) says
/// otherwise: both must agree to find each other in the membership table.
/// </summary>
public static class ClusterDefaults
{
    /// <summary>The default cluster id and service id.</summary>
    public const string Id = "furnitureops";

    /// <summary>Sets the defaults; bind configuration after this so it can override them.</summary>
    public static void Apply(ClusterOptions options)
    {
        options.ClusterId = Id;
        options.ServiceId = Id;
    }

    /// <summary>
    /// How long a grain call may take before the caller gets a <see cref="TimeoutException"/> (configuration
    /// <c>Orleans:Messaging:ResponseTimeout</c>). Orleans' default is 30 s. A call in flight to a silo that dies
    /// (SIGKILL, node loss) is only ended by this timeout on the client side, so the API's callers would wait
    /// that long for a retryable 503; a flush normally commits in milliseconds, so 10 s still leaves a wide margin.
    /// </summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Sets <see cref="ResponseTimeout"/>; bind configuration after this so it can override it.</summary>
    public static void Apply(MessagingOptions options) => options.ResponseTimeout = ResponseTimeout;

    /// <summary>
    /// How often a client re-reads the live gateways from the membership table (configuration
    /// <c>Orleans:Gateway:GatewayListRefreshPeriod</c>; Orleans' default is 1 minute). Until it does, the client
    /// keeps addressing grains that lived on a dead silo to that silo and its callers get 503s, so after a crash
    /// the API recovers this long after the silo is declared dead. One small query per API instance per period.
    /// </summary>
    public static readonly TimeSpan GatewayListRefreshPeriod = TimeSpan.FromSeconds(5);

    /// <summary>Sets <see cref="GatewayListRefreshPeriod"/>; bind configuration after this so it can override it.</summary>
    public static void Apply(GatewayOptions options) => options.GatewayListRefreshPeriod = GatewayListRefreshPeriod;
}
