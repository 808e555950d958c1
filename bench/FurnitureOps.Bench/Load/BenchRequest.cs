namespace FurnitureOps.Bench.Load;

/// <summary>What a request does; the same operation goes over HTTP or straight to a grain.</summary>
public enum Operation
{
    Sell,
    Accrue,
    Reward,
    Redeem,
}

/// <summary>One request of a run: <paramref name="Operation"/> of <paramref name="Amount"/> on a SKU or player, under an idempotency key.</summary>
public sealed record BenchRequest(Operation Operation, string Entity, long Amount, string IdempotencyKey)
{
    /// <summary>The route FurnitureOps and the baseline both serve.</summary>
    public string Path => Operation switch
    {
        Operation.Sell => $"/v1/inventory/{Entity}/sales",
        Operation.Accrue => $"/v1/players/{Entity}/loyalty/accruals",
        Operation.Reward => $"/v1/players/{Entity}/loyalty/rewards",
        _ => $"/v1/players/{Entity}/loyalty/redemptions",
    };

    public string Body => Operation switch
    {
        Operation.Sell => $$"""{"quantity":{{Amount}},"orderRef":"{{IdempotencyKey}}"}""",
        Operation.Accrue => $$"""{"points":{{Amount}},"sourceType":"bench","sourceId":"{{IdempotencyKey}}"}""",
        // A distinct reason: the same reward by the same staff member to the same player on one day is one
        // reward by design (a business-key dedupe), which would leave an acknowledged key without a ledger row.
        Operation.Reward => $$"""{"points":{{Amount}},"reason":"bench {{IdempotencyKey}}"}""",
        _ => $$"""{"points":{{Amount}},"reference":"{{IdempotencyKey}}"}""",
    };
}
