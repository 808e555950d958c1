using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Api.Loyalty;

/// <summary>Loyalty limits the API enforces (configuration section <c>Loyalty</c>).</summary>
public sealed class LoyaltyApiOptions
{
    /// <summary>Largest manual reward in points; more is refused with 400 <c>reward_exceeds_limit</c>.</summary>
    [Range(1, 1_000_000)]
    public long MaxManualReward { get; set; } = 10_000;

    /// <summary>Manual rewards one staff member (tenant + sub) may grant per minute; more get 429.</summary>
    [Range(1, 100_000)]
    public int ManualRewardsPerMinute { get; set; } = 50;
}
