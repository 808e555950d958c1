namespace FurnitureOps.Grains.Interfaces.Pos;

/// <summary>What a store terminal reports.</summary>
[GenerateSerializer, Alias("fo.pos-event-type")]
public enum PosEventType
{
    /// <summary>Goods sold: each line is sold from stock; points accrue to the player, if any.</summary>
    Sale = 0,

    /// <summary>Goods brought back: each line returns to stock; the player's points for the amount are reversed.</summary>
    Return = 1,
}

/// <summary>One line of a POS event.</summary>
[GenerateSerializer, Immutable, Alias("fo.pos-line")]
public sealed record PosLine(string Sku, long Quantity);

/// <summary>A POS event as submitted by a terminal (already validated by the API).</summary>
[GenerateSerializer, Immutable, Alias("fo.pos-event-submission")]
public sealed record PosEventSubmission(
    string Source,
    PosEventType Type,
    DateTimeOffset OccurredAt,
    IReadOnlyList<PosLine> Lines,
    string? PlayerId,
    decimal? Amount);

/// <summary>Where a POS event's saga is.</summary>
[GenerateSerializer, Alias("fo.pos-event-status")]
public enum PosEventStatus
{
    /// <summary>Accepted; some steps are still to be applied (a failed step is retried by the sagas' sweeper).</summary>
    Pending = 0,

    /// <summary>Every step was applied exactly once.</summary>
    Applied = 1,

    /// <summary>A line was refused (e.g. insufficient stock); the lines applied before it are being undone.</summary>
    Compensating = 2,

    /// <summary>A line was refused and every line applied before it was undone.</summary>
    Rejected = 3,

    /// <summary>
    /// A line was refused and an applied line could not be undone: its compensation was refused too (e.g. the
    /// returned unit was sold meanwhile). Stock or points may be off by that line until an operator resolves it.
    /// </summary>
    NeedsAttention = 4,

    /// <summary>Was <see cref="NeedsAttention"/>; an operator resolved it (<see cref="PosResolution"/>).</summary>
    Resolved = 5,
}

/// <summary>How an operator resolved an event that needed attention.</summary>
[GenerateSerializer, Immutable, Alias("fo.pos-resolution")]
public sealed record PosResolution(string Note, string ResolvedBy, DateTimeOffset ResolvedAt, string RequestId);

/// <summary>What resolving an event did: <see cref="Resolved"/> is false when the event did not need attention (nothing was written).</summary>
[GenerateSerializer, Immutable, Alias("fo.pos-resolve-reply")]
public sealed record PosResolveReply(PosEventView Event, bool Resolved);

/// <summary>What a saga step does.</summary>
[GenerateSerializer, Alias("fo.pos-step-kind")]
public enum PosStepKind
{
    /// <summary>Sells a line on its SKU grain (step key <c>system:pos/{eventId}/line-{lineNo}</c>).</summary>
    SellLine = 0,

    /// <summary>Returns a line to stock on its SKU grain (step key <c>system:pos/{eventId}/line-{lineNo}</c>).</summary>
    ReturnLine = 1,

    /// <summary>Undoes an applied line (step key <c>system:pos/{eventId}/line-{lineNo}-compensate</c>).</summary>
    CompensateLine = 2,

    /// <summary>Accrues the sale's points (loyalty business key <c>pos:{eventId}</c>).</summary>
    AccruePoints = 3,

    /// <summary>Reverses the return's points (loyalty business key <c>pos_return:{eventId}</c>).</summary>
    ReversePoints = 4,
}

/// <summary>How a step ended (or that it has not yet).</summary>
[GenerateSerializer, Alias("fo.pos-step-status")]
public enum PosStepStatus
{
    /// <summary>Not applied yet.</summary>
    Pending = 0,

    /// <summary>Applied (exactly once, by its business key).</summary>
    Applied = 1,

    /// <summary>Refused by a business rule; <see cref="PosStepView.Code"/> says why.</summary>
    Refused = 2,

    /// <summary>Not needed (e.g. the event was rejected before this step, or there were no points to move).</summary>
    Skipped = 3,
}

/// <summary>One step of a POS event's saga and its outcome.</summary>
[GenerateSerializer, Immutable, Alias("fo.pos-step")]
public sealed record PosStepView(
    PosStepKind Kind,
    int? LineNo,
    string? Sku,
    long Quantity,
    PosStepStatus Status,
    string? Code,
    long? LedgerVersion);

/// <summary>A POS event and its saga as seen from outside.</summary>
[GenerateSerializer, Immutable, Alias("fo.pos-event")]
public sealed record PosEventView(
    Guid EventId,
    string Source,
    PosEventType Type,
    DateTimeOffset OccurredAt,
    IReadOnlyList<PosLine> Lines,
    string? PlayerId,
    decimal? Amount,
    PosEventStatus Status,
    string? RejectionCode,
    IReadOnlyList<PosStepView> Steps,
    int Attempts,
    string? LastError,
    string RequestId,
    DateTimeOffset AcceptedAt,
    DateTimeOffset? CompletedAt,
    PosResolution? Resolution);
