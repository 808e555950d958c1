using FurnitureOps.Grains.Events;
using FurnitureOps.Grains.Interfaces.Ledger;
using Microsoft.Extensions.Options;

namespace FurnitureOps.Grains.Pos;

/// <summary>
/// Intake backpressure: refuses new POS events while this silo holds too many unfinished (a per-silo count), or
/// while the cluster's event backlog is past its bounds (unpublished outbox rows, deliveries due now; sampled
/// cluster-wide). Refusing before acceptance keeps the work bounded; the terminal retries the same delivery later.
/// </summary>
public sealed class PosIntakeGate(IOptions<PosOptions> options, EventBacklog backlog)
{
    private int _pending;

    /// <summary>Unfinished POS events on this silo.</summary>
    public int Pending => Volatile.Read(ref _pending);

    /// <summary>Counts a new event in, or throws <see cref="OverloadedException"/> (nothing counted).</summary>
    public void Admit()
    {
        if (backlog.Depth > options.Value.MaxOutboxDepth)
        {
            throw new OverloadedException("Event delivery is behind; POS intake is paused. Retry the same delivery later.");
        }

        if (backlog.DueDeliveries > options.Value.MaxDueDeliveries)
        {
            throw new OverloadedException("Event delivery is behind; POS intake is paused. Retry the same delivery later.");
        }

        if (Interlocked.Increment(ref _pending) > options.Value.MaxPendingEvents)
        {
            Interlocked.Decrement(ref _pending);
            throw new OverloadedException("Too many POS events are being processed; retry the same delivery later.");
        }
    }

    /// <summary>Counts an event this silo resumed (an activation of an unfinished event) without a bound check.</summary>
    public void Resume() => Interlocked.Increment(ref _pending);

    /// <summary>The event finished, or its activation left this silo.</summary>
    public void Release() => Interlocked.Decrement(ref _pending);
}
