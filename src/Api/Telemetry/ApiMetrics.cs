using System.Diagnostics.Metrics;
using System.Reflection;

namespace FurnitureOps.Api.Telemetry;

/// <summary>The API's own instruments: <c>build_info</c> and <c>rate_limited_total{policy}</c>.</summary>
public static class ApiMetrics
{
    public const string MeterName = "FurnitureOps.Api";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> RateLimitedRequests = Meter.CreateCounter<long>(
        "rate_limited", description: "Requests refused with 429 by a rate-limit policy.");

    static ApiMetrics()
    {
        var version = typeof(ApiMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var commit = version.Contains('+', StringComparison.Ordinal) ? version[(version.IndexOf('+', StringComparison.Ordinal) + 1)..] : "unknown";
        Meter.CreateObservableGauge("build_info", () => new Measurement<int>(1,
            new KeyValuePair<string, object?>("version", version.Split('+')[0]), new KeyValuePair<string, object?>("commit", commit)),
            description: "Always 1; the labels name the running build.");
    }

    public static void RateLimited(string policy) => RateLimitedRequests.Add(1, new KeyValuePair<string, object?>("policy", policy));
}
