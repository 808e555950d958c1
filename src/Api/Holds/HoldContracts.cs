using System.ComponentModel.DataAnnotations;
using FurnitureOps.Api.Http;
using FurnitureOps.Api.Inventory;
using FurnitureOps.Grains.Interfaces.Holds;

namespace FurnitureOps.Api.Holds;

/// <summary>Limits of a multi-line stock hold (its expiry: <see cref="HoldLimits"/>).</summary>
public static class StockHoldLimits
{
    public const int MaxLines = 100;
}

/// <summary>One line of a hold: a quantity of one SKU.</summary>
public sealed record HoldLineRequest(
    [Required, RegularExpression(InventoryLimits.SkuPattern, ErrorMessage = "sku must be 1-64 of [A-Za-z0-9._-].")] string? Sku,
    [Required, Range(1, InventoryLimits.MaxQuantity)] long? Quantity);

/// <summary>Holds every line, or none, for a while: <c>expiresInSeconds</c> 1–86,400 (default 900). Each SKU at most once.</summary>
public sealed record HoldRequest(
    [Required, Length(1, StockHoldLimits.MaxLines)] IReadOnlyList<HoldLineRequest>? Lines,
    [Range(1, HoldLimits.MaxExpiresInSeconds)] int? ExpiresInSeconds,
    [StringLength(128)] string? Reference) : IValidatableObject
{
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Lines is null || Lines.Any(line => line is null))
        {
            yield break;
        }

        // One line per SKU: a SKU's lines would be one reservation anyway, and two would race each other.
        if (Lines.Where(line => line.Sku is not null).GroupBy(line => line.Sku).FirstOrDefault(group => group.Count() > 1) is { } repeated)
        {
            yield return new ValidationResult($"sku '{repeated.Key}' is on more than one line; put its whole quantity on one.", [nameof(Lines)]);
        }
    }
}

public sealed record HoldLineResponse(string Sku, long Quantity, Guid ReservationId, string Status);

/// <summary>A hold: its status, its lines and their reservations.</summary>
public sealed record HoldResponse(
    Guid HoldId,
    string Status,
    IReadOnlyList<HoldLineResponse> Lines,
    string? Reference,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt,
    string CorrelationId)
{
    public static HoldResponse From(StockHoldView hold) => new(hold.HoldId, hold.Status,
        hold.Lines.Select(line => new HoldLineResponse(line.Sku, line.Quantity, line.ReservationId, line.Status)).ToList(),
        hold.Reference, hold.ExpiresAt, hold.CreatedAt, hold.ResolvedAt, hold.CorrelationId);
}
