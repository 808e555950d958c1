namespace FurnitureOps.Grains.Interfaces.Inventory;

/// <summary>The public view of a SKU after a command or on read.</summary>
[GenerateSerializer, Immutable, Alias("fo.sku-snapshot")]
public sealed record SkuSnapshot(string Sku, string Name, long OnHand, long Sold, long Version, DateTimeOffset UpdatedAt);

/// <summary>Why a SKU command was not applied. <see cref="Available"/> is set for stock shortfalls.</summary>
[GenerateSerializer, Immutable, Alias("fo.sku-rejection")]
public sealed record SkuRejection(string Code, long? Available = null)
{
    /// <summary>Create on a SKU that already exists.</summary>
    public const string SkuExists = "sku_exists";
    /// <summary>A command on a SKU that was never created. Not recorded under the idempotency key.</summary>
    public const string SkuNotFound = "sku_not_found";
    /// <summary>A sale larger than on hand; <see cref="Available"/> says how much there is.</summary>
    public const string InsufficientStock = "insufficient_stock";
    /// <summary>A return larger than sold; <see cref="Available"/> says how much can be returned.</summary>
    public const string ReturnExceedsSold = "return_exceeds_sold";
}

/// <summary>The reply to a SKU command: exactly one of <see cref="Item"/> or <see cref="Rejection"/> is set.</summary>
[GenerateSerializer, Immutable, Alias("fo.sku-reply")]
public sealed record SkuReply(SkuSnapshot? Item, SkuRejection? Rejection)
{
    /// <summary>The command was applied; <paramref name="item"/> is the state after it.</summary>
    public static SkuReply Applied(SkuSnapshot item) => new(item, null);

    /// <summary>The command was refused by a business rule.</summary>
    public static SkuReply Rejected(string code, long? available = null) => new(null, new SkuRejection(code, available));
}
