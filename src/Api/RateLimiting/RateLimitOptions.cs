using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Api.RateLimiting;

/// <summary>A budget: requests per window.</summary>
public sealed class RateLimitBudget
{
    [Range(1, 1_000_000)]
    public int PermitLimit { get; set; }

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Rate limits (configuration section <c>RateLimits</c>); the manual-reward budget is <c>Loyalty:ManualRewardsPerMinute</c>.</summary>
public sealed class RateLimitOptions : IValidatableObject
{
    /// <summary>Callers without valid credentials, by client IP.</summary>
    public RateLimitBudget Anonymous { get; set; } = new() { PermitLimit = 20 };

    /// <summary>Authenticated callers, by tenant and subject.</summary>
    public RateLimitBudget Authenticated { get; set; } = new() { PermitLimit = 600 };

    /// <summary>The longest penalty a key that keeps hitting its limit can earn (penalties double per strike).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxPenalty { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Quiet time after a penalty that forgives one strike.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StrikeDecay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Proxies whose <c>X-Forwarded-For</c> is believed (IP addresses). From anyone else the header is ignored, so
    /// a client cannot pick a fresh IP budget by spoofing it.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// Networks of proxies whose <c>X-Forwarded-For</c> is believed, in CIDR notation (<c>10.42.0.0/16</c>): for
    /// ingress controllers whose pod addresses change.
    /// </summary>
    public List<string> TrustedNetworks { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in TrustedProxies.Where(proxy => !System.Net.IPAddress.TryParse(proxy, out _)))
        {
            yield return new ValidationResult($"RateLimits:TrustedProxies: '{proxy}' is not an IP address.", [nameof(TrustedProxies)]);
        }

        foreach (var network in TrustedNetworks.Where(network => !System.Net.IPNetwork.TryParse(network, out _)))
        {
            yield return new ValidationResult($"RateLimits:TrustedNetworks: '{network}' is not a network in CIDR notation.", [nameof(TrustedNetworks)]);
        }
    }
}
