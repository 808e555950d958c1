using System.Diagnostics.Metrics;
using FurnitureOps.Grains.Interfaces;

namespace FurnitureOps.Silo.Telemetry;

/// <summary>
/// The silo's own instruments: <c>build_info</c>, the event backlog gauges (outbox depth, pending and
/// dead-lettered deliveries) and the relay's and dispatcher's counters.
/// </summary>
public static class SiloMetrics
{
    public const string MeterName = "FurnitureOps.Silo";

    private static readonly Meter Meter = new(MeterName);
    private static long _outboxDepth;
    private static long _pendingDeliveries;
    private static long _deadLetters;
    private static long _posNeedingAttention;

    private static readonly Counter<long> Published = Meter.CreateCounter<long>(
        "events_published", unit: "{event}", description: "Outbox events published (given a feed position and fanned out to subscribers).");

    private static readonly Counter<long> Deliveries = Meter.CreateCounter<long>(
        "event_deliveries", unit: "{delivery}",
        description: "Delivery attempts by subscriber kind (webhook, consumer) and outcome (delivered, failed, dead, cancelled).");

    static SiloMetrics()
    {
        BuildInfo.AddGauge(Meter, typeof(SiloMetrics).Assembly);
        Meter.CreateObservableGauge("outbox_depth", () => Interlocked.Read(ref _outboxDepth), unit: "{event}",
            description: "Outbox events not published yet (refreshed every few seconds).");
        Meter.CreateObservableGauge("event_deliveries_pending", () => Interlocked.Read(ref _pendingDeliveries), unit: "{delivery}",
            description: "Deliveries waiting for their first attempt or a retry (refreshed every few seconds).");
        Meter.CreateObservableGauge("event_dead_letters", () => Interlocked.Read(ref _deadLetters), unit: "{event}",
            description: "Dead-lettered outbox rows and deliveries, waiting for an operator (refreshed every few seconds).");
        Meter.CreateObservableGauge("pos_events_needing_attention", () => Interlocked.Read(ref _posNeedingAttention), unit: "{event}",
            description: "POS events, all tenants, whose applied line could not be undone and that no operator has resolved yet (refreshed every few seconds).");
    }

    public static void SetEventBacklog(long outboxDepth, long pendingDeliveries, long deadLetters, long posNeedingAttention)
    {
        Interlocked.Exchange(ref _posNeedingAttention, posNeedingAttention);
        Interlocked.Exchange(ref _outboxDepth, outboxDepth);
        Interlocked.Exchange(ref _pendingDeliveries, pendingDeliveries);
        Interlocked.Exchange(ref _deadLetters, deadLetters);
    }

    public static void EventsPublished(int count)
    {
        if (count > 0)
        {
            Published.Add(count);
        }
    }

    public static void DeliveryAttempted(string subscriberKind, string outcome, int deliveries = 1) => Deliveries.Add(deliveries,
        new KeyValuePair<string, object?>("subscriber_kind", subscriberKind), new KeyValuePair<string, object?>("outcome", outcome));
}
