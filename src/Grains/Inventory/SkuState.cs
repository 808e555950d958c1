using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Ledger;

namespace FurnitureOps.Grains.Inventory;

/// <summary>The state row of one SKU. Version 0 is the SKU that has not been created.</summary>
public sealed record SkuState(string Name, long OnHand, long Sold, long Version, DateTimeOffset UpdatedAt) : ILedgerState
{
    public static readonly SkuState None = new(string.Empty, 0, 0, 0, DateTimeOffset.MinValue);

    public bool Exists => Version > 0;

    public SkuSnapshot ToSnapshot(string sku) => new(sku, Name, OnHand, Sold, Version, UpdatedAt);
}

/// <summary>Payload of every <c>inventory.*.v1</c> outbox event: what happened and the SKU's values after it.</summary>
public sealed record InventoryChanged(string Sku, string Operation, long Quantity, long OnHand, long Sold, long Version, string? Reference);
