using System.Diagnostics.Metrics;
using FurnitureOps.Grains.Interfaces;

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
        BuildInfo.AddGauge(Meter, typeof(ApiMetrics).Assembly);
    }

    public static void RateLimited(string policy) => RateLimitedRequests.Add(1, new KeyValuePair<string, object?>("policy", policy));
}
