using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Grains.Interfaces.RatingSlips;

namespace FurnitureOps.Grains.RatingSlips;

/// <summary>A rating slip's persisted state (Orleans ADO.NET grain persistence, storage "slips").</summary>
[GenerateSerializer, Alias("fo.rating-slip-state")]
public sealed class RatingSlipState
{
    [Id(0)] public string PlayerId { get; set; } = string.Empty;
    [Id(1)] public string Game { get; set; } = string.Empty;
    [Id(2)] public decimal AverageBet { get; set; }
    [Id(3)] public SlipStatus Status { get; set; }
    [Id(4)] public int? MinutesPlayed { get; set; }
    [Id(5)] public long? Points { get; set; }
    [Id(6)] public AccrualStatus Accrual { get; set; }
    [Id(7)] public int AccrualAttempts { get; set; }
    [Id(8)] public DateTimeOffset? NextAttemptAt { get; set; }
    [Id(9)] public LoyaltyEntry? AccrualEntry { get; set; }

    /// <summary>The request id of the completion; every later step of the saga carries it.</summary>
    [Id(10)] public string? CorrelationId { get; set; }

    /// <summary>Who completed the slip: the accrual is made on their behalf.</summary>
    [Id(11)] public string? CompletedBy { get; set; }

    [Id(12)] public DateTimeOffset OpenedAt { get; set; }
    [Id(13)] public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The <c>rating_slip.completed.v1</c> event has not been appended to the outbox yet.</summary>
    [Id(14)] public bool CompletionEventPending { get; set; }

    /// <summary>Replies by idempotency key; a slip's life is short, so they are kept with it.</summary>
    [Id(15)] public Dictionary<string, SlipKeyRecord> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Whether the accrual sends a reserved system key (<see cref="Interfaces.Ledger.SystemKeys"/>). False only for
    /// slips completed by a version before them: their accrual keeps the key it may already have used.
    /// </summary>
    [Id(16)] public bool SystemAccrualKey { get; set; }

    public RatingSlipView ToView(string slipId) => new(slipId, PlayerId, Game, AverageBet, Status, MinutesPlayed, Points,
        Accrual, AccrualAttempts, AccrualEntry, CorrelationId, OpenedAt, CompletedAt);
}

/// <summary>A reply remembered under its idempotency key, with the request's fingerprint.</summary>
[GenerateSerializer, Immutable, Alias("fo.slip-key-record")]
public sealed record SlipKeyRecord(string Fingerprint, SlipReply Reply);

/// <summary>Payload of <c>rating_slip.completed.v1</c>.</summary>
public sealed record RatingSlipCompleted(string SlipId, string PlayerId, string Game, decimal AverageBet, int MinutesPlayed, long Points);
