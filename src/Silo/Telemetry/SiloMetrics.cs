using System.Diagnostics.Metrics;
using FurnitureOps.Grains.Interfaces;

namespace FurnitureOps.Silo.Telemetry;

/// <summary>The silo's own instruments: <c>build_info</c> and the outbox depth (undelivered events).</summary>
public static class SiloMetrics
{
    public const string MeterName = "FurnitureOps.Silo";

    private static readonly Meter Meter = new(MeterName);
    private static long _outboxDepth;

    static SiloMetrics()
    {
        BuildInfo.AddGauge(Meter, typeof(SiloMetrics).Assembly);
        Meter.CreateObservableGauge("outbox_depth", () => Interlocked.Read(ref _outboxDepth), unit: "{event}",
            description: "Outbox events not delivered yet (refreshed every few seconds).");
    }

    public static void SetOutboxDepth(long depth) => Interlocked.Exchange(ref _outboxDepth, depth);
}
