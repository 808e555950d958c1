namespace FurnitureOps.Bench.Load;

/// <summary>What a request does; the same operation goes over HTTP or straight to a grain.</summary>
public enum Operation
{
    Sell,
    Accrue,
    Reward,
    Redeem,

    /// <summary>A POS sale event of one line (<c>Entity</c> the SKU, <c>Amount</c> its quantity) for a player: FurnitureOps over HTTP only.</summary>
    PosSale,

    /// <summary>Holds <c>Amount</c> of a SKU's stock; the answer names the new reservation.</summary>
    Reserve,

    /// <summary>Sells the whole of the held reservation <c>ReservationId</c>.</summary>
    Commit,

    /// <summary>Gives the held reservation <c>ReservationId</c> back.</summary>
    Release,
}

/// <summary>
/// One request of a run: <paramref name="Operation"/> of <paramref name="Amount"/> on a SKU or player, under an
/// idempotency key; <paramref name="Player"/> is a POS event's player, <paramref name="ReservationId"/> the
/// reservation a commit or release resolves. <paramref name="Then"/> is sent once this request succeeds, on
/// the reservation its answer named (a checkout: reserve, then commit or release); the two are one operation
/// of the run, timed and counted together.
/// </summary>
public sealed record BenchRequest(
    Operation Operation, string Entity, long Amount, string IdempotencyKey, string? Player = null, Guid? ReservationId = null, BenchRequest? Then = null)
{
    /// <summary>The route FurnitureOps and the baseline both serve.</summary>
    public string Path => Operation switch
    {
        Operation.Sell => $"/v1/inventory/{Entity}/sales",
        Operation.Accrue => $"/v1/players/{Entity}/loyalty/accruals",
        Operation.Reward => $"/v1/players/{Entity}/loyalty/rewards",
        Operation.PosSale => "/v1/pos/events",
        Operation.Reserve => $"/v1/inventory/{Entity}/reservations",
        Operation.Commit => $"/v1/inventory/{Entity}/reservations/{Reservation:D}/commit",
        Operation.Release => $"/v1/inventory/{Entity}/reservations/{Reservation:D}/release",
        _ => $"/v1/players/{Entity}/loyalty/redemptions",
    };

    public string Body => Operation switch
    {
        Operation.Sell => $$"""{"quantity":{{Amount}},"orderRef":"{{IdempotencyKey}}"}""",
        Operation.Accrue => $$"""{"points":{{Amount}},"sourceType":"bench","sourceId":"{{IdempotencyKey}}"}""",
        // A distinct reason: the same reward by the same staff member to the same player on one day is one
        // reward by design (a business-key dedupe), which would leave an acknowledged key without a ledger row.
        Operation.Reward => $$"""{"points":{{Amount}},"reason":"bench {{IdempotencyKey}}"}""",
        // As the seeds' terminals send it: one line, a player and an amount (so the saga also accrues points).
        Operation.PosSale => $$"""{"source":"bench-till","type":"sale","occurredAt":"2026-11-22T10:15:00Z","lines":[{"sku":"{{Entity}}","quantity":{{Amount}}}],"playerId":"{{Player}}","amount":{{Amount * 10}}}""",
        Operation.Reserve => $$"""{"quantity":{{Amount}},"reference":"{{IdempotencyKey}}"}""",
        Operation.Commit or Operation.Release => "{}", // the whole hold; the route names the reservation
        _ => $$"""{"points":{{Amount}},"reference":"{{IdempotencyKey}}"}""",
    };

    /// <summary>The reservation a commit or release resolves (set from the reserve's answer when the run sends it).</summary>
    public Guid Reservation => ReservationId ?? throw new InvalidOperationException($"{Operation} {IdempotencyKey} names no reservation.");
}
