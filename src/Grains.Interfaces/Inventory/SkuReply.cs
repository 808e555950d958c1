namespace FurnitureOps.Grains.Interfaces.Inventory;

/// <summary>The public view of a SKU after a command or on read. <see cref="Reserved"/> is held by reservations.</summary>
[GenerateSerializer, Immutable, Alias("fo.sku-snapshot")]
public sealed record SkuSnapshot(string Sku, string Name, long OnHand, long Sold, long Version, DateTimeOffset UpdatedAt, long Reserved = 0)
{
    /// <summary>What a sale or a new reservation can take.</summary>
    public long Available => OnHand - Reserved;
}

/// <summary>The statuses of a reservation: held until it is committed, released or expired, once.</summary>
public static class ReservationStatus
{
    /// <summary>The stock is held: not available to sales or other reservations.</summary>
    public const string Held = "held";
    /// <summary>Sold (all of it, or part and the rest released).</summary>
    public const string Committed = "committed";
    /// <summary>Given back by its holder (or by a stock-take that released every hold).</summary>
    public const string Released = "released";
    /// <summary>Given back by the system when its time was up.</summary>
    public const string Expired = "expired";
}

/// <summary>One reservation of a SKU's stock. <see cref="CommittedQuantity"/> is what its commit sold.</summary>
[GenerateSerializer, Immutable, Alias("fo.sku-reservation")]
public sealed record ReservationView(
    Guid ReservationId,
    string Sku,
    long Quantity,
    string Status,
    long? CommittedQuantity,
    string? Reference,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ResolvedAt);

/// <summary>
/// Why a SKU command was not applied. <see cref="Available"/> is set for stock shortfalls,
/// <see cref="ReservationStatus"/> for a reservation that is no longer held.
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.sku-rejection")]
public sealed record SkuRejection(string Code, long? Available = null, string? ReservationStatus = null)
{
    /// <summary>Create on a SKU that already exists.</summary>
    public const string SkuExists = "sku_exists";
    /// <summary>A command on a SKU that was never created. Not recorded under the idempotency key.</summary>
    public const string SkuNotFound = "sku_not_found";
    /// <summary>A sale or reservation larger than what is available (on hand less reserved); <see cref="Available"/> says how much there is.</summary>
    public const string InsufficientStock = "insufficient_stock";
    /// <summary>A reservation command for an id this SKU never held.</summary>
    public const string ReservationNotFound = "reservation_not_found";
    /// <summary>A reservation under an id this SKU already holds, with a new idempotency key.</summary>
    public const string ReservationExists = "reservation_exists";
    /// <summary>A commit or release of a reservation that is no longer held; <see cref="ReservationStatus"/> says what it became.</summary>
    public const string ReservationNotHeld = "reservation_not_held";
    /// <summary>A commit of more than the reservation holds; <see cref="Available"/> is the quantity held.</summary>
    public const string CommitExceedsReservation = "commit_exceeds_reservation";
    /// <summary>A stock-take below what is reserved, without saying to release the holds; <see cref="Available"/> is the quantity reserved.</summary>
    public const string ReservationsExceedStock = "reservations_exceed_stock";
    /// <summary>A return larger than sold; <see cref="Available"/> says how much can be returned.</summary>
    public const string ReturnExceedsSold = "return_exceeds_sold";
}

/// <summary>
/// The reply to a SKU command: exactly one of <see cref="Item"/> or <see cref="Rejection"/> is set.
/// <see cref="Reservation"/> is the reservation a reservation command made or changed.
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.sku-reply")]
public sealed record SkuReply(SkuSnapshot? Item, SkuRejection? Rejection, ReservationView? Reservation = null)
{
    /// <summary>The command was applied; <paramref name="item"/> is the state after it.</summary>
    public static SkuReply Applied(SkuSnapshot item, ReservationView? reservation = null) => new(item, null, reservation);

    /// <summary>The command was refused by a business rule.</summary>
    public static SkuReply Rejected(string code, long? available = null, string? reservationStatus = null) =>
        new(null, new SkuRejection(code, available, reservationStatus));
}
