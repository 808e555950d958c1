namespace FurnitureOps.Grains.Events;

/// <summary>
/// The latest sample of the work events are waiting for, cluster-wide, taken by the silo's monitor every
/// <c>Events:BacklogSampleInterval</c>: outbox rows not yet published, and deliveries due now (a delivery
/// waiting out its retry backoff is not due). Intake reads it on the hot path, so it is a cached number,
/// never a query.
/// </summary>
public sealed class EventBacklog
{
    private long _depth;
    private long _dueDeliveries;
    private long _samples;

    /// <summary>Outbox rows not yet published.</summary>
    public long Depth => Volatile.Read(ref _depth);

    /// <summary>Pending deliveries whose attempt is due (the dispatchers are behind when this grows).</summary>
    public long DueDeliveries => Volatile.Read(ref _dueDeliveries);

    /// <summary>Samples taken so far: a test waits on it to know a sample saw what it wrote.</summary>
    public long Samples => Volatile.Read(ref _samples);

    public void Observe(long depth, long dueDeliveries)
    {
        Volatile.Write(ref _depth, depth);
        Volatile.Write(ref _dueDeliveries, dueDeliveries);
        Interlocked.Increment(ref _samples);
    }
}
