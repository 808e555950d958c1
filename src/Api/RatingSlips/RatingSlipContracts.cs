using System.ComponentModel.DataAnnotations;
using FurnitureOps.Api.Loyalty;
using FurnitureOps.Grains.Interfaces.RatingSlips;

namespace FurnitureOps.Api.RatingSlips;

public sealed record OpenSlipRequest(
    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "playerId must be 1-64 of [A-Za-z0-9._-].")] string? PlayerId,
    [Required, StringLength(64, MinimumLength = 1)] string? Game,
    [Required, Range(typeof(decimal), "0.01", "1000000")] decimal? AverageBet);

public sealed record CompleteSlipRequest([Required, Range(1, 1440)] int? MinutesPlayed);

public sealed record RatingSlipResponse(
    string SlipId,
    string PlayerId,
    string Game,
    decimal AverageBet,
    SlipStatus Status,
    int? MinutesPlayed,
    long? Points,
    AccrualStatus Accrual,
    int AccrualAttempts,
    LoyaltyEntryResponse? AccrualEntry,
    string? CorrelationId,
    DateTimeOffset OpenedAt,
    DateTimeOffset? CompletedAt)
{
    public static RatingSlipResponse From(RatingSlipView slip) =>
        new(slip.SlipId, slip.PlayerId, slip.Game, slip.AverageBet, slip.Status, slip.MinutesPlayed, slip.Points, slip.Accrual,
            slip.AccrualAttempts, slip.AccrualEntry is null ? null : LoyaltyEntryResponse.From(slip.AccrualEntry), slip.CorrelationId,
            slip.OpenedAt, slip.CompletedAt);
}

/// <summary>A completed slip whose points are on the player's balance (<c>accrual</c> is null for a slip worth 0 points).</summary>
public sealed record SlipCompletedResponse(RatingSlipResponse Slip, LoyaltyEntryResponse? Accrual);

/// <summary>
/// 202: the slip is closed but its accrual is not made yet. It heals by itself (reminder with backoff); an
/// operator can force it with <c>POST /v1/rating-slips/{slipId}/recover-loyalty</c>.
/// </summary>
public sealed record PartialCompletionResponse(string Code, string SlipId, string? CorrelationId, string Detail, RatingSlipResponse Slip)
{
    public const string PartialCompletion = "PARTIAL_COMPLETION";
}

/// <summary>The slips whose accrual waits; <c>accrual</c> is <c>pending</c> (retried at <c>nextAttemptAt</c>) or <c>stalled</c>.</summary>
public sealed record RatingSlipAttentionList(IReadOnlyList<RatingSlipAttentionItem> Slips);
