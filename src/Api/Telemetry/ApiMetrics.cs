using System.Diagnostics.Metrics;
using FurnitureOps.Grains.Interfaces;

namespace FurnitureOps.Api.Telemetry;

/// <summary>The API's own instruments: <c>build_info</c>, <c>rate_limited_total{policy}</c>,
/// <c>rate_limit_grain_calls_total{policy}</c> and <c>ingest_dedup_total{tenant,source}</c>.</summary>
public static class ApiMetrics
{
    public const string MeterName = "FurnitureOps.Api";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> RateLimitedRequests = Meter.CreateCounter<long>(
        "rate_limited", description: "Requests refused with 429 by a rate-limit policy.");

    private static readonly Counter<long> RateLimitGrainCalls = Meter.CreateCounter<long>(
        "rate_limit_grain_calls", description: "Round trips to a rate-limit grain; far fewer than requests once budgets are taken in blocks.");

    private static readonly Counter<long> IngestDuplicates = Meter.CreateCounter<long>(
        "ingest_dedup", description: "POS deliveries answered 204 because the event was already accepted.");

    static ApiMetrics()
    {
        BuildInfo.AddGauge(Meter, typeof(ApiMetrics).Assembly);
    }

    public static void IngestDeduplicated(string tenant, string source) =>
        IngestDuplicates.Add(1, new KeyValuePair<string, object?>("tenant", tenant), new KeyValuePair<string, object?>("source", source));

    public static void RateLimitGrainCalled(string policy) => RateLimitGrainCalls.Add(1, new KeyValuePair<string, object?>("policy", policy));

    public static void RateLimited(string policy) => RateLimitedRequests.Add(1, new KeyValuePair<string, object?>("policy", policy));
}
