using System.Security.Cryptography;
using System.Text;

namespace FurnitureOps.Grains.Interfaces.Holds;

/// <summary>One line of a hold: a quantity of one SKU.</summary>
[GenerateSerializer, Immutable, Alias("fo.stock-hold-line")]
public sealed record StockHoldLine(string Sku, long Quantity);

/// <summary>Places a hold on every line until <paramref name="ExpiresAt"/>.</summary>
[GenerateSerializer, Immutable, Alias("fo.place-stock-hold")]
public sealed record PlaceStockHold(IReadOnlyList<StockHoldLine> Lines, DateTimeOffset ExpiresAt, string? Reference);

/// <summary>
/// Where a hold is. <see cref="Placing"/>, <see cref="Committing"/>, <see cref="Releasing"/> and
/// <see cref="Expiring"/> are steps under way (finished by the sweeper if interrupted); the others are where
/// a hold ends, except <see cref="Held"/>.
/// </summary>
public static class StockHoldStatus
{
    /// <summary>Its lines are being reserved, in order.</summary>
    public const string Placing = "placing";
    /// <summary>Every line is reserved, until the hold is committed, released or expires.</summary>
    public const string Held = "held";
    /// <summary>A line could not be reserved; the lines reserved before it were released.</summary>
    public const string Refused = "refused";
    /// <summary>Its lines are being sold.</summary>
    public const string Committing = "committing";
    /// <summary>Every line was sold.</summary>
    public const string Committed = "committed";
    /// <summary>Its lines are being given back (a release, or a refused placement undoing its lines).</summary>
    public const string Releasing = "releasing";
    /// <summary>Every line was given back by its holder.</summary>
    public const string Released = "released";
    /// <summary>Its time is up and its lines are being given back.</summary>
    public const string Expiring = "expiring";
    /// <summary>Every line was given back by the system when the hold's time was up.</summary>
    public const string Expired = "expired";
}

/// <summary>
/// One line as it stands: its reservation of the SKU, and that reservation's status (<c>pending</c> before it
/// is reserved, <c>refused</c> if it could not be, else the reservation's own status).
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.stock-hold-line-view")]
public sealed record StockHoldLineView(string Sku, long Quantity, Guid ReservationId, string Status);

/// <summary>A hold as seen from outside. <see cref="CorrelationId"/> is the request id of its placement; every line's effect carries it.</summary>
[GenerateSerializer, Immutable, Alias("fo.stock-hold")]
public sealed record StockHoldView(
    Guid HoldId,
    string Status,
    IReadOnlyList<StockHoldLineView> Lines,
    string? Reference,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt,
    string CorrelationId);

/// <summary>
/// Why a hold command was not applied. For a placement: the refused line (<see cref="Line"/>, its index) and,
/// for a shortfall, what its SKU had <see cref="Available"/>; for a commit or release, the hold's status.
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.stock-hold-rejection")]
public sealed record StockHoldRejection(string Code, int? Line = null, long? Available = null, string? HoldStatus = null)
{
    /// <summary>A line's SKU has less available than the line asks for.</summary>
    public const string InsufficientStock = "insufficient_stock";
    /// <summary>A line's SKU does not exist.</summary>
    public const string SkuNotFound = "sku_not_found";
    /// <summary>No hold with this id.</summary>
    public const string HoldNotFound = "hold_not_found";
    /// <summary>A commit or release of a hold that is no longer held.</summary>
    public const string HoldNotHeld = "hold_not_held";
    /// <summary>A placement on a hold id another key placed.</summary>
    public const string HoldExists = "hold_exists";
}

/// <summary>The reply to a hold command: the hold after it, and a rejection when it was not applied (a refused placement has both).</summary>
[GenerateSerializer, Immutable, Alias("fo.stock-hold-reply")]
public sealed record StockHoldReply(StockHoldView? Hold, StockHoldRejection? Rejection);

/// <summary>Hold ids.</summary>
public static class StockHoldIds
{
    /// <summary>
    /// The hold a placement under <paramref name="idempotencyKey"/> makes: derived from tenant and key, so a
    /// retried placement reaches the same hold (and replays there), and another key never does.
    /// </summary>
    public static Guid For(string tenantId, string idempotencyKey)
    {
        Span<byte> bytes = stackalloc byte[16];
        SHA256.HashData(Encoding.UTF8.GetBytes($"stock-hold\n{tenantId}\n{idempotencyKey}")).AsSpan(0, 16).CopyTo(bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8 (custom), RFC 9562
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // the RFC variant
        return new Guid(bytes, bigEndian: true);
    }
}
