namespace FurnitureOps.Grains.Interfaces.Inventory;

/// <summary>A mutation of one SKU. Each kind becomes one ledger row when accepted.</summary>
[GenerateSerializer, Immutable, Alias("fo.sku-command")]
public abstract record SkuCommand;

/// <summary>Creates the SKU with its opening stock.</summary>
[GenerateSerializer, Immutable, Alias("fo.sku-command.create")]
public sealed record CreateSku(string Name, long OnHand) : SkuCommand;

/// <summary>Goods arrived: on hand goes up.</summary>
[GenerateSerializer, Immutable, Alias("fo.sku-command.receive")]
public sealed record ReceiveStock(long Quantity, string? Reference) : SkuCommand;

/// <summary>A sale: on hand goes down and sold goes up; refused if stock would go negative.</summary>
[GenerateSerializer, Immutable, Alias("fo.sku-command.sell")]
public sealed record SellStock(long Quantity, string? OrderRef) : SkuCommand;

/// <summary>A customer return: on hand goes up and sold goes down; refused beyond what was sold.</summary>
[GenerateSerializer, Immutable, Alias("fo.sku-command.return")]
public sealed record ReturnStock(long Quantity, string? OrderRef) : SkuCommand;

/// <summary>
/// A stock-take correction that sets on hand to a counted value. Below what is reserved it is refused unless
/// <paramref name="ReleaseHolds"/>: then every held reservation is released in the same effect.
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.sku-command.adjust")]
public sealed record AdjustStock(long OnHand, string Reason, bool ReleaseHolds = false) : SkuCommand;

/// <summary>
/// Holds <paramref name="Quantity"/> of the available stock until <paramref name="ExpiresAt"/>: a sale can no
/// longer take it. The caller names the reservation (a new id for a new reservation; a resend under the same
/// idempotency key replays the first answer, whatever id it carried).
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.sku-command.reserve")]
public sealed record ReserveStock(Guid ReservationId, long Quantity, DateTimeOffset ExpiresAt, string? Reference) : SkuCommand;

/// <summary>Sells a held reservation: all of it, or <paramref name="Quantity"/> of it and releases the rest.</summary>
[GenerateSerializer, Immutable, Alias("fo.sku-command.commit-reservation")]
public sealed record CommitReservation(Guid ReservationId, long? Quantity) : SkuCommand;

/// <summary>Gives a held reservation's stock back to what is available.</summary>
[GenerateSerializer, Immutable, Alias("fo.sku-command.release-reservation")]
public sealed record ReleaseReservation(Guid ReservationId) : SkuCommand;

/// <summary>The system's release of a held reservation whose time is up (sent by the SKU grain itself).</summary>
[GenerateSerializer, Immutable, Alias("fo.sku-command.expire-reservation")]
public sealed record ExpireReservation(Guid ReservationId) : SkuCommand;
