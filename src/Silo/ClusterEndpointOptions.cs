using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Silo;

/// <summary>
/// Where this silo listens (configuration section <c>Orleans</c>, which also holds <c>ClusterId</c> and
/// <c>ServiceId</c>: silos and clients with the same cluster id find each other in the membership table).
/// </summary>
public sealed class ClusterEndpointOptions
{
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
