namespace FurnitureOps.Grains;

/// <summary>
/// The clock grains read for business time (idempotency expiry, reward days, rate-limit buckets). A holder of
/// its own, rather than the container's <see cref="TimeProvider"/>, so tests can move grain time without
/// moving Orleans' own timers.
/// </summary>
public sealed record GrainClock(TimeProvider Time)
{
    public static GrainClock System { get; } = new(TimeProvider.System);
}
