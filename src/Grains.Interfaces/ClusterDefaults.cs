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
}
