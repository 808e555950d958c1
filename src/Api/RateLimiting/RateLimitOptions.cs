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
public sealed class RateLimitOptions
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
}
