using System.ComponentModel.DataAnnotations;
using FurnitureOps.Api.Http;
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

/// <summary>
/// A stock-take correction: the counted on-hand quantity and why it differs. Below what is reserved it is
/// refused (409 <c>reservations_exceed_stock</c>) unless <c>holds</c> is <c>"release"</c>: then every held
/// reservation is released by the same effect.
/// </summary>
public sealed record AdjustRequest(
    [Required, Range(0, InventoryLimits.MaxQuantity)] long? OnHand,
    [Required, StringLength(500, MinimumLength = 1)] string? Reason,
    [RegularExpression("^release$", ErrorMessage = "holds must be 'release' (release every held reservation) or absent.")] string? Holds = null);

public sealed record InventoryItemResponse(string Sku, string Name, long OnHand, long Sold, long Version, DateTimeOffset UpdatedAt,
    long Reserved, long Available)
{
    public static InventoryItemResponse From(SkuSnapshot item) =>
        new(item.Sku, item.Name, item.OnHand, item.Sold, item.Version, item.UpdatedAt, item.Reserved, item.Available);
}

/// <summary>Holds stock for a while: <c>expiresInSeconds</c> 1–86,400 (default 900).</summary>
public sealed record ReservationRequest(
    [Required, Range(1, InventoryLimits.MaxQuantity)] long? Quantity,
    [Range(1, HoldLimits.MaxExpiresInSeconds)] int? ExpiresInSeconds,
    [StringLength(128)] string? Reference);

/// <summary>Sells a held reservation: all of it, or <c>quantity</c> of it (the rest is released).</summary>
public sealed record CommitReservationRequest([Range(1, InventoryLimits.MaxQuantity)] long? Quantity);

/// <summary>A reservation, and after a command the SKU as it is after it.</summary>
public sealed record ReservationResponse(
    Guid ReservationId,
    string Sku,
    long Quantity,
    string Status,
    long? CommittedQuantity,
    string? Reference,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt,
    InventoryItemResponse? Item)
{
    public static ReservationResponse From(ReservationView reservation, SkuSnapshot? item) => new(
        reservation.ReservationId, reservation.Sku, reservation.Quantity, reservation.Status, reservation.CommittedQuantity,
        reservation.Reference, reservation.ExpiresAt, reservation.CreatedAt, reservation.ResolvedAt,
        item is null ? null : InventoryItemResponse.From(item));
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
    DateTimeOffset At,
    long ReservedBefore,
    long ReservedAfter)
{
    public static LedgerEntryResponse From(SkuLedgerEntry entry) =>
        new(entry.Version, entry.Operation, entry.Quantity, entry.OnHandBefore, entry.OnHandAfter, entry.SoldBefore,
            entry.SoldAfter, entry.Reference, entry.Actor, entry.RequestId, entry.IdempotencyKey, entry.At,
            entry.ReservedBefore, entry.ReservedAfter);
}

/// <summary>A page of a SKU's ledger: <c>nextAfterVersion</c> continues an oldest-first page, <c>nextBeforeVersion</c> a newest-first one.</summary>
public sealed record LedgerPage(string Sku, IReadOnlyList<LedgerEntryResponse> Entries, long? NextAfterVersion, long? NextBeforeVersion);
