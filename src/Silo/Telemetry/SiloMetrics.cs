using System.Diagnostics.Metrics;
using System.Reflection;

namespace FurnitureOps.Silo.Telemetry;

/// <summary>The silo's own instruments: <c>build_info</c> and the outbox depth (undelivered events).</summary>
public static class SiloMetrics
{
    public const string MeterName = "FurnitureOps.Silo";

    private static readonly Meter Meter = new(MeterName);
    private static long _outboxDepth;

    static SiloMetrics()
    {
        var version = typeof(SiloMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var commit = version.Contains('+', StringComparison.Ordinal) ? version[(version.IndexOf('+', StringComparison.Ordinal) + 1)..] : "unknown";
        Meter.CreateObservableGauge("build_info", () => new Measurement<int>(1,
            new KeyValuePair<string, object?>("version", version.Split('+')[0]), new KeyValuePair<string, object?>("commit", commit)),
            description: "Always 1; the labels name the running build.");
        Meter.CreateObservableGauge("outbox_depth", () => Interlocked.Read(ref _outboxDepth), unit: "{event}",
            description: "Outbox events not delivered yet (refreshed every few seconds).");
    }

    public static void SetOutboxDepth(long depth) => Interlocked.Exchange(ref _outboxDepth, depth);
}
