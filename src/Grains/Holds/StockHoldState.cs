using FurnitureOps.Grains.Interfaces.Holds;

namespace FurnitureOps.Grains.Holds;

/// <summary>A hold's state, kept whole as JSON in its <c>stock_holds</c> row.</summary>
public sealed class StockHoldState
{
    public string Status { get; set; } = StockHoldStatus.Placing;
    public List<StockHoldLineState> Lines { get; set; } = [];
    public string? Reference { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ResolvedAt { get; set; }

    /// <summary>The request id of the placement, which the hold is known by in logs and traces.</summary>
    public string CorrelationId { get; set; } = string.Empty;

    /// <summary>Who asked for the step under way (placement, commit or release): the lines' effects are theirs.</summary>
    public string StepActor { get; set; } = string.Empty;

    /// <summary>The request id of the step under way: its lines' ledger and audit rows carry it.</summary>
    public string StepRequestId { get; set; } = string.Empty;

    /// <summary>Why the placement was refused (the first line that could not be reserved), once it was.</summary>
    public StockHoldRejection? Refusal { get; set; }

    /// <summary>Failed attempts of the step under way, for the backoff.</summary>
    public int Attempts { get; set; }

    /// <summary>When the sweeper next runs the step under way.</summary>
    public DateTimeOffset? NextAttemptAt { get; set; }

    /// <summary>The placement's idempotency key: its reply is recorded there, by whoever finishes the placement.</summary>
    public string PlacementKey { get; set; } = string.Empty;

    /// <summary>Replies by idempotency key (a hold's life is short, so they are kept with it); null while the placement runs.</summary>
    public Dictionary<string, StockHoldKeyRecord> Keys { get; set; } = new(StringComparer.Ordinal);

    public StockHoldView ToView(Guid holdId) => new(holdId, Status,
        Lines.Select(line => new StockHoldLineView(line.Sku, line.Quantity, line.ReservationId, line.Status)).ToList(),
        Reference, ExpiresAt, CreatedAt, ResolvedAt, CorrelationId);
}

/// <summary>A line and its reservation's status as the hold last saw it.</summary>
public sealed class StockHoldLineState
{
    /// <summary>Before the line is reserved.</summary>
    public const string Pending = "pending";
    /// <summary>Its SKU could not reserve it.</summary>
    public const string Refused = "refused";
    /// <summary>Never reserved: a line before it was refused.</summary>
    public const string NotReserved = "not_reserved";

    public string Sku { get; set; } = string.Empty;
    public long Quantity { get; set; }
    public Guid ReservationId { get; set; }
    public string Status { get; set; } = Pending;
}

/// <summary>A reply remembered under its idempotency key, with the request's fingerprint; <see cref="Reply"/> is null while the placement runs.</summary>
public sealed record StockHoldKeyRecord(string Fingerprint, StockHoldReply? Reply);
