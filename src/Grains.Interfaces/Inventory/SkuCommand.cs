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

/// <summary>A stock-take correction that sets on hand to a counted value.</summary>
[GenerateSerializer, Immutable, Alias("fo.sku-command.adjust")]
public sealed record AdjustStock(long OnHand, string Reason) : SkuCommand;
