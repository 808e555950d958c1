using OpenTelemetry.Metrics;

namespace FurnitureOps.ServiceDefaults;

/// <summary>
/// The .NET runtime's built-in meter: GC, JIT, thread pool, lock contention and exceptions, exported by the
/// silo and the API as <c>dotnet_*</c> on /metrics. The bench reads <c>dotnet_jit_compilation_time_seconds_total</c>
/// to tell when warm-up is over.
/// </summary>
public static class RuntimeMetrics
{
    public const string MeterName = "System.Runtime";

    // Gauges whose Prometheus names end in _count, a suffix Prometheus keeps for histograms and summaries
    // (promtool refuses them); a count of loaded assemblies, cores or timers says little about health anyway.
    private static readonly string[] Dropped = ["dotnet.assembly.count", "dotnet.process.cpu.count", "dotnet.timer.count"];

    /// <summary>Adds the runtime's meter, without the instruments Prometheus' naming rules refuse.</summary>
    public static MeterProviderBuilder AddRuntimeMetrics(this MeterProviderBuilder metrics)
    {
        metrics.AddMeter(MeterName);
        foreach (var name in Dropped)
        {
            metrics.AddView(name, MetricStreamConfiguration.Drop);
        }

        return metrics;
    }
}
