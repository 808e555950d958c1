using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Grains.Loyalty;

namespace FurnitureOps.Tests.Grains;

/// <summary>
/// The same manual reward by the same staff member to the same player on the same business day is one reward;
/// the day is the tenant's local calendar day (<c>Loyalty:TenantTimeZones</c>, else <c>Loyalty:BusinessTimeZone</c>, UTC).
/// </summary>
public sealed class RewardBusinessDayTests
{
    private static readonly AwardPoints Reward = new(50, "service recovery");
    private static readonly CommandContext Context = new("key-1", "fingerprint", "staff-1", "request-1");

    [Fact]
    public void TwoRewardsEitherSideOfLocalMidnightAreTwoDaysEvenOnOneUtcDay()
    {
        var losAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");

        // 23:30 and 01:00 in Los Angeles (UTC−8 in November): one UTC date, two local ones.
        var late = KeyAt("2026-11-20T07:30:00Z", losAngeles);
        var early = KeyAt("2026-11-20T09:00:00Z", losAngeles);

        Assert.NotEqual(late, early);
        Assert.Equal(KeyAt("2026-11-20T07:30:00Z", TimeZoneInfo.Utc), KeyAt("2026-11-20T09:00:00Z", TimeZoneInfo.Utc));
    }

    [Fact]
    public void TwoRewardsOnOneLocalDayAreOneEvenAcrossUtcMidnight() =>
        Assert.Equal(
            KeyAt("2026-11-20T08:30:00Z", TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles")),  // 00:30 local
            KeyAt("2026-11-21T07:30:00Z", TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles"))); // 23:30 local

    [Fact]
    public void ATenantsOwnZoneWinsOverTheDefault()
    {
        var options = new LoyaltyOptions { BusinessTimeZone = "Europe/Berlin", TenantTimeZones = { ["vegas-1"] = "America/Los_Angeles" } };

        Assert.Equal("America/Los_Angeles", options.BusinessTimeZoneOf("vegas-1").Id);
        Assert.Equal("Europe/Berlin", options.BusinessTimeZoneOf("anyone-else").Id);
    }

    [Fact]
    public void AnUnknownZoneIsRefusedAtStart()
    {
        var options = new LoyaltyOptions { TenantTimeZones = { ["t1"] = "Mars/Olympus_Mons" } };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Contains(errors, error => error.ErrorMessage!.Contains("Mars/Olympus_Mons", StringComparison.Ordinal));
    }

    private static string KeyAt(string utc, TimeZoneInfo zone) =>
        LoyaltyRules.Describe("player-1", Reward, Context, DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture), zone).BusinessKey!;
}
