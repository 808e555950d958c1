using System.ComponentModel.DataAnnotations;
using FurnitureOps.Api.Http;
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

/// <summary>Holds points for a while: <c>expiresInSeconds</c> 1–86,400 (default 900).</summary>
public sealed record PointsHoldRequest(
    [Required, Range(1, LoyaltyLimits.MaxPoints)] long? Points,
    [Range(1, HoldLimits.MaxExpiresInSeconds)] int? ExpiresInSeconds,
    [StringLength(128)] string? Reference);

/// <summary>Redeems a held hold: all of it, or <c>points</c> of it (the rest is released).</summary>
public sealed record CommitPointsHoldRequest([Range(1, LoyaltyLimits.MaxPoints)] long? Points);

/// <summary>
/// A player's balance: <c>held</c> is set aside by points holds, <c>available</c> (balance less held) is what a
/// redemption or a new hold can take.
/// </summary>
public sealed record LoyaltyStateResponse(
    string PlayerId, long Balance, long LifetimePoints, string Tier, double TierProgress, long Version, DateTimeOffset UpdatedAt,
    long Held, long Available)
{
    public static LoyaltyStateResponse From(PlayerLoyalty state) =>
        new(state.PlayerId, state.Balance, state.LifetimePoints, state.Tier, state.TierProgress, state.Version, state.UpdatedAt,
            state.Held, state.Available);
}

public sealed record LoyaltyEntryResponse(
    long Version, string Operation, long Points, long BalanceBefore, long BalanceAfter, string TierBefore, string TierAfter,
    long LifetimeAfter, string? Reason, string? SourceReference, string StaffId, string CorrelationId, DateTimeOffset At,
    long HeldBefore, long HeldAfter)
{
    public static LoyaltyEntryResponse From(LoyaltyEntry entry) =>
        new(entry.Version, entry.Operation, entry.Points, entry.BalanceBefore, entry.BalanceAfter, entry.TierBefore, entry.TierAfter,
            entry.LifetimeAfter, entry.Reason, entry.SourceReference, entry.StaffId, entry.CorrelationId, entry.At,
            entry.HeldBefore, entry.HeldAfter);
}

/// <summary>A points hold, and after a command the ledger entry it wrote and the balance after it.</summary>
public sealed record PointsHoldResponse(
    Guid HoldId,
    string PlayerId,
    long Points,
    string Status,
    long? CommittedPoints,
    string? Reference,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt,
    LoyaltyEntryResponse? Entry,
    LoyaltyStateResponse? State)
{
    public static PointsHoldResponse From(PointsHoldView hold, LoyaltyEntry? entry, PlayerLoyalty? state) => new(
        hold.HoldId, hold.PlayerId, hold.Points, hold.Status, hold.CommittedPoints, hold.Reference, hold.ExpiresAt, hold.CreatedAt,
        hold.ResolvedAt, entry is null ? null : LoyaltyEntryResponse.From(entry), state is null ? null : LoyaltyStateResponse.From(state));
}

/// <summary>The answer to a loyalty command: the entry, the balance after it, and whether it repeats an earlier entry.</summary>
public sealed record LoyaltyEntryResult(LoyaltyEntryResponse Entry, LoyaltyStateResponse State, bool Deduplicated);

/// <summary>A page of a player's ledger: <c>nextAfterVersion</c> continues an oldest-first page, <c>nextBeforeVersion</c> a newest-first one.</summary>
public sealed record LoyaltyLedgerPage(string PlayerId, IReadOnlyList<LoyaltyEntryResponse> Entries, long? NextAfterVersion, long? NextBeforeVersion);
