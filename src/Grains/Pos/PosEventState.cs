using FurnitureOps.Grains.Interfaces.Pos;

namespace FurnitureOps.Grains.Pos;

/// <summary>A POS event's saga: the <c>saga</c> column of its <c>pos_events</c> row, as JSON.</summary>
[GenerateSerializer, Alias("fo.pos-event-state")]
public sealed class PosEventState
{
    /// <summary>SHA-256 of the first delivery's request: a later delivery with another body is refused.</summary>
    [Id(0)] public string Fingerprint { get; set; } = string.Empty;
    [Id(1)] public PosEventSubmission Submission { get; set; } = null!;
    [Id(2)] public PosEventStatus Status { get; set; }
    [Id(3)] public string? RejectionCode { get; set; }

    /// <summary>The saga's steps in the order they run; compensations are appended when a line is refused.</summary>
    [Id(4)] public List<PosStepView> Steps { get; set; } = [];

    /// <summary>Failed attempts so far (a step that threw, e.g. storage unavailable); the sweeper retries each at <see cref="NextAttemptAt"/>.</summary>
    [Id(5)] public int Attempts { get; set; }
    [Id(6)] public DateTimeOffset? NextAttemptAt { get; set; }
    [Id(7)] public string? LastError { get; set; }

    /// <summary>The request id of the first delivery; every step carries it.</summary>
    [Id(8)] public string RequestId { get; set; } = string.Empty;

    /// <summary>Who submitted the event (the terminal's principal): the steps are made on its behalf.</summary>
    [Id(9)] public string Actor { get; set; } = string.Empty;
    [Id(10)] public DateTimeOffset AcceptedAt { get; set; }
    [Id(11)] public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>
    /// Whether the steps send reserved system keys (<see cref="Interfaces.Ledger.SystemKeys"/>). False only for
    /// events accepted by a version before them: their steps keep the keys they may already have used.
    /// </summary>
    [Id(12)] public bool SystemStepKeys { get; set; }

    /// <summary>Set when an operator resolved the event after it needed attention.</summary>
    [Id(13)] public PosResolution? Resolution { get; set; }

    /// <summary>The idempotency key and request fingerprint of that resolution: the same again replays it.</summary>
    [Id(14)] public string? ResolutionKey { get; set; }
    [Id(15)] public string? ResolutionFingerprint { get; set; }

    /// <summary>Nothing left for the saga to do (an event needing attention waits for an operator, not for a retry).</summary>
    public bool IsFinished => Status is PosEventStatus.Applied or PosEventStatus.Rejected or PosEventStatus.NeedsAttention or PosEventStatus.Resolved;

    public PosEventView ToView(Guid eventId) => new(eventId, Submission.Source, Submission.Type, Submission.OccurredAt,
        Submission.Lines, Submission.PlayerId, Submission.Amount, Status, RejectionCode, Steps.ToList(), Attempts, LastError,
        RequestId, AcceptedAt, CompletedAt, Resolution);
}

/// <summary>Payload of <c>pos.event_applied.v1</c> and <c>pos.event_rejected.v1</c>.</summary>
public sealed record PosEventCompleted(
    Guid EventId, string Source, string Type, string Status, string? RejectionCode, IReadOnlyList<PosLine> Lines,
    string? PlayerId, decimal? Amount, DateTimeOffset OccurredAt);

/// <summary>Payload of <c>pos.event_resolved.v1</c>: an operator resolved an event that needed attention.</summary>
public sealed record PosEventResolved(Guid EventId, string Note, string ResolvedBy, DateTimeOffset ResolvedAt);
