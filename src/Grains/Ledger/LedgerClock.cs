namespace FurnitureOps.Grains.Ledger;

/// <summary>
/// The clock the write path reads for idempotency expiry. A holder of its own, rather than the container's
/// <see cref="TimeProvider"/>, so tests can move ledger time without moving Orleans' timers.
/// </summary>
public sealed record LedgerClock(TimeProvider Time)
{
    public static LedgerClock System { get; } = new(TimeProvider.System);
}
