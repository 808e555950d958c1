using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Grains.Loyalty;

/// <summary>A tier and the lifetime points at which it starts.</summary>
public sealed class LoyaltyTier
{
    [Required]
    public string Name { get; set; } = string.Empty;

    [Range(0, long.MaxValue)]
    public long MinLifetimePoints { get; set; }
}

/// <summary>Loyalty settings of the silo (configuration section <c>Loyalty</c>).</summary>
public sealed class LoyaltyOptions : IValidatableObject
{
    public static readonly IReadOnlyList<LoyaltyTier> DefaultTiers =
    [
        new() { Name = "bronze", MinLifetimePoints = 0 },
        new() { Name = "silver", MinLifetimePoints = 1_000 },
        new() { Name = "gold", MinLifetimePoints = 5_000 },
        new() { Name = "platinum", MinLifetimePoints = 20_000 },
    ];

    /// <summary>Tiers by lifetime points, lowest first; the first must start at 0. Unset: <see cref="DefaultTiers"/>.</summary>
    public List<LoyaltyTier>? Tiers { get; set; }

    /// <summary>Points per currency unit bet per minute on a rating slip: floor(averageBet × minutes × rate).</summary>
    [Range(0.0, 1_000.0)]
    public double SlipPointsRate { get; set; } = 0.1;

    /// <summary>
    /// The first wait before the sagas' sweeper retries a failed slip accrual (later waits double, up to 32 times
    /// this), and how long a completed slip may wait for its accrual before the sweeper takes it over.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan AccrualRetryPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Automatic retries of a pending slip accrual before it waits for an operator's recovery call.</summary>
    [Range(1, 1_000)]
    public int MaxAccrualAttempts { get; set; } = 10;

    /// <summary>
    /// The time zone whose calendar day buckets manual rewards (the same reward by the same staff member to the
    /// same player on the same business day is one reward): an IANA id such as <c>America/Los_Angeles</c>.
    /// </summary>
    [Required]
    public string BusinessTimeZone { get; set; } = "UTC";

    /// <summary>Per-tenant business time zones (tenant id → IANA id); tenants not listed use <see cref="BusinessTimeZone"/>.</summary>
    public Dictionary<string, string> TenantTimeZones { get; set; } = [];

    public IReadOnlyList<LoyaltyTier> EffectiveTiers => Tiers is { Count: > 0 } ? Tiers : DefaultTiers;

    /// <summary>The time zone of <paramref name="tenantId"/>'s business day.</summary>
    public TimeZoneInfo BusinessTimeZoneOf(string tenantId) =>
        TimeZoneInfo.FindSystemTimeZoneById(TenantTimeZones.GetValueOrDefault(tenantId, BusinessTimeZone));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var tiers = EffectiveTiers;
        if (tiers[0].MinLifetimePoints != 0)
        {
            yield return new ValidationResult("The first loyalty tier must start at 0 lifetime points.", [nameof(Tiers)]);
        }

        foreach (var zone in TenantTimeZones.Values.Prepend(BusinessTimeZone).Where(zone => !TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _)))
        {
            yield return new ValidationResult($"Loyalty: '{zone}' is not a known time zone (use an IANA id such as Europe/Berlin).",
                [nameof(BusinessTimeZone), nameof(TenantTimeZones)]);
        }

        for (var i = 1; i < tiers.Count; i++)
        {
            if (tiers[i].MinLifetimePoints <= tiers[i - 1].MinLifetimePoints)
            {
                yield return new ValidationResult("Loyalty tiers must be listed by strictly rising MinLifetimePoints.", [nameof(Tiers)]);
            }
        }
    }
}
