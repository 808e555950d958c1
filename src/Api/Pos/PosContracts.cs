using System.ComponentModel.DataAnnotations;
using FurnitureOps.Api.Inventory;
using FurnitureOps.Grains.Interfaces.Pos;

namespace FurnitureOps.Api.Pos;

/// <summary>Limits of a POS event.</summary>
public static class PosLimits
{
    public const int MaxLines = 100;
    public const string IdentifierPattern = "^[A-Za-z0-9._-]{1,64}$";

    /// <summary>How far in the future a terminal's clock may put <c>occurredAt</c>.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);
}

/// <summary>An event reported by a store terminal: a sale or a return of some lines, optionally for a player.</summary>
public sealed record PosEventRequest(
    [Required, RegularExpression(PosLimits.IdentifierPattern, ErrorMessage = "source must be 1-64 of [A-Za-z0-9._-].")] string? Source,
    [Required, RegularExpression("^(sale|return)$", ErrorMessage = "type must be 'sale' or 'return'.")] string? Type,
    [Required] DateTimeOffset? OccurredAt,
    [Required, MinLength(1), MaxLength(PosLimits.MaxLines)] IReadOnlyList<PosLineRequest>? Lines,
    [RegularExpression(PosLimits.IdentifierPattern, ErrorMessage = "playerId must be 1-64 of [A-Za-z0-9._-].")] string? PlayerId,
    [Range(typeof(decimal), "0", "100000000")] decimal? Amount)
{
    public PosEventSubmission ToSubmission() => new(
        Source!, Type == "sale" ? PosEventType.Sale : PosEventType.Return, OccurredAt!.Value,
        Lines!.Select(line => new PosLine(line.Sku!, line.Quantity!.Value)).ToList(), PlayerId, Amount);
}

public sealed record PosLineRequest(
    [Required, RegularExpression(InventoryLimits.SkuPattern, ErrorMessage = "sku must be 1-64 of [A-Za-z0-9._-].")] string? Sku,
    [Required, Range(1, InventoryLimits.MaxQuantity)] long? Quantity);

/// <summary>How an operator put right an event that needed attention (e.g. "stock counted and adjusted, ticket 4711").</summary>
public sealed record PosResolveRequest([Required, StringLength(500, MinimumLength = 1)] string? Note);

/// <summary>The events that need an operator.</summary>
public sealed record PosAttentionList(IReadOnlyList<PosAttentionItem> Events);

/// <summary>The events whose saga has steps left, which the sagas' sweeper retries with backoff.</summary>
public sealed record PosPendingList(IReadOnlyList<PosPendingItem> Events);

/// <summary>201: the event was accepted; <c>status</c> is where its saga got to while the request waited.</summary>
public sealed record PosEventAccepted(Guid EventId, PosEventStatus Status);

public sealed record PosEventResponse(
    Guid EventId,
    string Source,
    string Type,
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
    PosResolution? Resolution)
{
    public static PosEventResponse From(PosEventView view) => new(
        view.EventId, view.Source, view.Type == PosEventType.Sale ? "sale" : "return", view.OccurredAt, view.Lines, view.PlayerId,
        view.Amount, view.Status, view.RejectionCode, view.Steps, view.Attempts, view.LastError, view.RequestId, view.AcceptedAt,
        view.CompletedAt, view.Resolution);
}
