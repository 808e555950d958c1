using System.ComponentModel.DataAnnotations;
using FurnitureOps.Grains.Interfaces.Inventory;

namespace FurnitureOps.Api.Inventory;

/// <summary>Limits shared by every inventory request.</summary>
public static class InventoryLimits
{
    public const long MaxQuantity = 1_000_000;
    public const string SkuPattern = "^[A-Za-z0-9._-]{1,64}$";
}

public sealed record CreateSkuRequest(
    [Required, RegularExpression(InventoryLimits.SkuPattern, ErrorMessage = "sku must be 1-64 of [A-Za-z0-9._-].")] string? Sku,
    [Required, StringLength(200, MinimumLength = 1)] string? Name,
    [Required, Range(0, InventoryLimits.MaxQuantity)] long? OnHand);

public sealed record ReceiptRequest(
    [Required, Range(1, InventoryLimits.MaxQuantity)] long? Quantity,
    [StringLength(128)] string? Reference);

public sealed record SaleRequest(
    [Required, Range(1, InventoryLimits.MaxQuantity)] long? Quantity,
    [StringLength(128)] string? OrderRef);

public sealed record ReturnRequest(
    [Required, Range(1, InventoryLimits.MaxQuantity)] long? Quantity,
    [StringLength(128)] string? OrderRef);

/// <summary>A stock-take correction: the counted on-hand quantity and why it differs.</summary>
public sealed record AdjustRequest(
    [Required, Range(0, InventoryLimits.MaxQuantity)] long? OnHand,
    [Required, StringLength(500, MinimumLength = 1)] string? Reason);

public sealed record InventoryItemResponse(string Sku, string Name, long OnHand, long Sold, long Version, DateTimeOffset UpdatedAt)
{
    public static InventoryItemResponse From(SkuSnapshot item) =>
        new(item.Sku, item.Name, item.OnHand, item.Sold, item.Version, item.UpdatedAt);
}

public sealed record LedgerEntryResponse(
    long Version,
    string Op,
    long Quantity,
    long OnHandBefore,
    long OnHandAfter,
    long SoldBefore,
    long SoldAfter,
    string? Reference,
    string Actor,
    string RequestId,
    string IdempotencyKey,
    DateTimeOffset At)
{
    public static LedgerEntryResponse From(SkuLedgerEntry entry) =>
        new(entry.Version, entry.Operation, entry.Quantity, entry.OnHandBefore, entry.OnHandAfter, entry.SoldBefore,
            entry.SoldAfter, entry.Reference, entry.Actor, entry.RequestId, entry.IdempotencyKey, entry.At);
}

public sealed record LedgerPage(string Sku, IReadOnlyList<LedgerEntryResponse> Entries, long? NextAfterVersion);
