using FurnitureOps.Grains.Interfaces.Loyalty;

namespace FurnitureOps.Grains.Interfaces.RatingSlips;

/// <summary>Opens a rating slip: a player's session at a game with an average bet.</summary>
[GenerateSerializer, Immutable, Alias("fo.open-slip")]
public sealed record OpenSlip(string PlayerId, string Game, decimal AverageBet);

/// <summary>Where a slip is in its life.</summary>
[GenerateSerializer, Alias("fo.slip-status")]
public enum SlipStatus
{
    /// <summary>Play in progress.</summary>
    Open = 0,

    /// <summary>Closed with minutes played; points computed.</summary>
    Completed = 1,
}

/// <summary>Where the slip's loyalty accrual is.</summary>
[GenerateSerializer, Alias("fo.slip-accrual-status")]
public enum AccrualStatus
{
    /// <summary>The slip is still open.</summary>
    NotDue = 0,

    /// <summary>The slip closed but its accrual has not been made yet; the sagas' sweeper retries it with backoff.</summary>
    Pending = 1,

    /// <summary>The points were accrued exactly once.</summary>
    Accrued = 2,

    /// <summary>Automatic retries are exhausted; <c>recover-loyalty</c> retries on demand.</summary>
    Stalled = 3,
}

/// <summary>A rating slip as seen from outside.</summary>
[GenerateSerializer, Immutable, Alias("fo.rating-slip")]
public sealed record RatingSlipView(
    string SlipId,
    string PlayerId,
    string Game,
    decimal AverageBet,
    SlipStatus Status,
    int? MinutesPlayed,
    long? Points,
    AccrualStatus Accrual,
    int AccrualAttempts,
    LoyaltyEntry? AccrualEntry,
    string? CorrelationId,
    DateTimeOffset OpenedAt,
    DateTimeOffset? CompletedAt);

/// <summary>The reply to a slip command: the slip after it, or a rejection code.</summary>
[GenerateSerializer, Immutable, Alias("fo.slip-reply")]
public sealed record SlipReply(RatingSlipView? Slip, string? Rejection)
{
    /// <summary>No slip with this id.</summary>
    public const string SlipNotFound = "slip_not_found";

    /// <summary>Open on a slip id that already exists.</summary>
    public const string SlipExists = "slip_exists";
}
