using System.Diagnostics.Metrics;
using System.Reflection;

namespace FurnitureOps.Grains.Interfaces;

/// <summary>The <c>build_info</c> gauge both hosts export: always 1, labelled with version and commit.</summary>
public static class BuildInfo
{
    /// <summary>Adds <c>build_info{version, commit}</c> to <paramref name="meter"/>, read from <paramref name="assembly"/>.</summary>
    public static void AddGauge(Meter meter, Assembly assembly)
    {
        // SourceLink-style informational versions look like "1.2.3+<commit>".
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var parts = informational.Split('+', 2);
        KeyValuePair<string, object?>[] labels = [new("version", parts[0]), new("commit", parts.Length > 1 ? parts[1] : "unknown")];
        meter.CreateObservableGauge("build_info", () => new Measurement<int>(1, labels), description: "Always 1; the labels name the running build.");
    }
}
