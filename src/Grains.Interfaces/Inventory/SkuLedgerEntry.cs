namespace FurnitureOps.Grains.Interfaces.Inventory;

/// <summary>One row of a SKU's ledger: a single accepted effect with the values before and after it.</summary>
[GenerateSerializer, Immutable, Alias("fo.sku-ledger-entry")]
public sealed record SkuLedgerEntry(
    long Version,
    string Operation,
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
    long ReservedBefore = 0,
    long ReservedAfter = 0);
