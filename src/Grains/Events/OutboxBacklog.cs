namespace FurnitureOps.Grains.Events;

/// <summary>
/// The latest count of outbox rows not yet published, sampled by the silo's monitor. Intake reads it on the
/// hot path, so it is a cached number, never a query.
/// </summary>
public sealed class OutboxBacklog
{
    private long _depth;

    public long Depth => Volatile.Read(ref _depth);

    public void Observe(long depth) => Volatile.Write(ref _depth, depth);
}
