using System.Threading.RateLimiting;
using FurnitureOps.Api.Telemetry;
using FurnitureOps.Grains.Interfaces.Security;

namespace FurnitureOps.Api.RateLimiting;

/// <summary>
/// One partition's limiter, with the budget kept in that key's <see cref="IRateLimitGrain"/>: every API instance
/// draws on the same budget. It cannot decide synchronously, so <see cref="AttemptAcquireCore"/> always says
/// "not now" and the middleware awaits <see cref="AcquireAsyncCore"/>, which asks the grain.
/// </summary>
public sealed class GrainRateLimiter(IGrainFactory grains, IHttpContextAccessor http, string policy, string key, RateLimitRule rule)
    : RateLimiter
{
    public const string DecisionItem = "fo.rate-limit-decision";

    // Holds no state of its own, so the partitioned limiter may drop and recreate it at any time.
    public override TimeSpan? IdleDuration => TimeSpan.MaxValue;

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => DecisionLease.Undecided;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        var decision = await grains.GetGrain<IRateLimitGrain>(key).AcquireAsync(rule);
        Remember(decision);
        if (!decision.Allowed)
        {
            ApiMetrics.RateLimited(policy);
        }

        return new DecisionLease(decision);
    }

    // The RateLimit-* headers report the tightest budget the request was measured against.
    private void Remember(RateLimitDecision decision)
    {
        if (http.HttpContext is not { } context)
        {
            return;
        }

        if (context.Items[DecisionItem] is not RateLimitDecision earlier || decision.Remaining < earlier.Remaining || !decision.Allowed)
        {
            context.Items[DecisionItem] = decision;
        }
    }

    private sealed class DecisionLease(RateLimitDecision? decision) : RateLimitLease
    {
        public static readonly DecisionLease Undecided = new(null);

        public override bool IsAcquired => decision?.Allowed == true;

        public override IEnumerable<string> MetadataNames =>
            decision is { Allowed: false } ? [MetadataName.RetryAfter.Name] : [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = decision is { Allowed: false } && metadataName == MetadataName.RetryAfter.Name ? decision.RetryAfter : null;
            return metadata is not null;
        }
    }
}
