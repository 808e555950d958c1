using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Silo;

/// <summary>Where this silo sits in the cluster (configuration section <c>Orleans</c>).</summary>
public sealed class ClusterEndpointOptions
{
    /// <summary>Silos and clients with the same cluster id find each other in the membership table.</summary>
    [Required]
    public string ClusterId { get; set; } = "furnitureops";

    /// <summary>Stable across deployments; Orleans keys persisted data by it.</summary>
    [Required]
    public string ServiceId { get; set; } = "furnitureops";

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients (the API) connect to.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients reach this silo at (the pod IP in Kubernetes).</summary>
    [Required]
    public string AdvertisedIP { get; set; } = "127.0.0.1";
}
