using System.ComponentModel.DataAnnotations;
using FurnitureOps.Grains.Interfaces.Loyalty;

namespace FurnitureOps.Api.Loyalty;

public static class LoyaltyLimits
{
    public const long MaxPoints = 1_000_000_000;

    // No ':' in a source type: the business key is "{sourceType}:{sourceId}", so its first ':' ends the type
    // and "a:b" + "c" can never be the same key as "a" + "b:c".
    public const string SourceTypePattern = "^[A-Za-z0-9._-]{1,64}$";
    public const string SourceIdPattern = "^[A-Za-z0-9._:-]{1,128}$";
}

/// <summary>An accrual from a client. The source types FurnitureOps' sagas use (<see cref="LoyaltySources"/>) are refused.</summary>
public sealed record AccrualRequest(
    [Required, Range(1, LoyaltyLimits.MaxPoints)] long? Points,
    [Required, RegularExpression(LoyaltyLimits.SourceTypePattern, ErrorMessage = "sourceType must be 1-64 of [A-Za-z0-9._-].")] string? SourceType,
    [Required, RegularExpression(LoyaltyLimits.SourceIdPattern, ErrorMessage = "sourceId must be 1-128 of [A-Za-z0-9._:-].")] string? SourceId)
    : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SourceType is not null && LoyaltySources.IsReserved(SourceType))
        {
            yield return new ValidationResult($"sourceType '{SourceType}' is reserved for FurnitureOps' own accruals.", [nameof(SourceType)]);
        }
    }
}

/// <summary>A manual reward. The staff member is the token's subject; a staff id in the body is refused as unknown.</summary>
public sealed record RewardRequest(
    [Required, Range(1, long.MaxValue)] long? Points,
    [Required, StringLength(500, MinimumLength = 1)] string? Reason);

public sealed record RedemptionRequest(
    [Required, Range(1, LoyaltyLimits.MaxPoints)] long? Points,
    [Required, StringLength(128, MinimumLength = 1)] string? Reference);

public sealed record LoyaltyStateResponse(
    string PlayerId, long Balance, long LifetimePoints, string Tier, double TierProgress, long Version, DateTimeOffset UpdatedAt)
{
    public static LoyaltyStateResponse From(PlayerLoyalty state) =>
        new(state.PlayerId, state.Balance, state.LifetimePoints, state.Tier, state.TierProgress, state.Version, state.UpdatedAt);
}

public sealed record LoyaltyEntryResponse(
    long Version, string Operation, long Points, long BalanceBefore, long BalanceAfter, string TierBefore, string TierAfter,
    long LifetimeAfter, string? Reason, string? SourceReference, string StaffId, string CorrelationId, DateTimeOffset At)
{
    public static LoyaltyEntryResponse From(LoyaltyEntry entry) =>
        new(entry.Version, entry.Operation, entry.Points, entry.BalanceBefore, entry.BalanceAfter, entry.TierBefore, entry.TierAfter,
            entry.LifetimeAfter, entry.Reason, entry.SourceReference, entry.StaffId, entry.CorrelationId, entry.At);
}

/// <summary>The answer to a loyalty command: the entry, the balance after it, and whether it repeats an earlier entry.</summary>
public sealed record LoyaltyEntryResult(LoyaltyEntryResponse Entry, LoyaltyStateResponse State, bool Deduplicated);

public sealed record LoyaltyLedgerPage(string PlayerId, IReadOnlyList<LoyaltyEntryResponse> Entries, long? NextAfterVersion);
