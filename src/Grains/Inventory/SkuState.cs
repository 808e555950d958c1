using System.Collections.Immutable;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Ledger;

namespace FurnitureOps.Grains.Inventory;

/// <summary>
/// The state row of one SKU and its held reservations (<see cref="Held"/>, whose quantities add up to
/// <see cref="Reserved"/>). Version 0 is the SKU that has not been created.
/// </summary>
public sealed record SkuState(string Name, long OnHand, long Sold, long Version, DateTimeOffset UpdatedAt, long Reserved = 0,
    ImmutableDictionary<Guid, ReservationView>? Held = null) : ILedgerState
{
    public static readonly SkuState None = new(string.Empty, 0, 0, 0, DateTimeOffset.MinValue);

    public bool Exists => Version > 0;

    /// <summary>What a sale or a new reservation can take.</summary>
    public long Available => OnHand - Reserved;

    public ImmutableDictionary<Guid, ReservationView> HeldReservations => Held ?? ImmutableDictionary<Guid, ReservationView>.Empty;

    /// <summary>This state with <paramref name="reservation"/> held too: the one place that adds to <see cref="Reserved"/>.</summary>
    public SkuState Holding(ReservationView reservation) =>
        this with { Reserved = Reserved + reservation.Quantity, Held = HeldReservations.Add(reservation.ReservationId, reservation) };

    /// <summary>This state without the held <paramref name="reservation"/>: the one place that takes from <see cref="Reserved"/>.</summary>
    public SkuState Releasing(ReservationView reservation) =>
        this with { Reserved = Reserved - reservation.Quantity, Held = HeldReservations.Remove(reservation.ReservationId) };

    public SkuSnapshot ToSnapshot(string sku) => new(sku, Name, OnHand, Sold, Version, UpdatedAt, Reserved);
}

/// <summary>
/// Payload of every <c>inventory.*.v1</c> outbox event: what happened and the SKU's values after it;
/// <see cref="ReservationId"/> for the reservation events.
/// </summary>
public sealed record InventoryChanged(string Sku, string Operation, long Quantity, long OnHand, long Sold, long Version, string? Reference,
    long Reserved = 0, Guid? ReservationId = null);
