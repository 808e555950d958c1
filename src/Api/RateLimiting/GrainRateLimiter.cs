using System.Threading.RateLimiting;
using FurnitureOps.Api.Telemetry;
using FurnitureOps.Grains.Interfaces.Security;

namespace FurnitureOps.Api.RateLimiting;

/// <summary>
/// One partition's limiter, with the budget kept in that key's <see cref="IRateLimitGrain"/>: every API instance
/// draws on the same budget. Asking the grain is a round trip, so a request takes a block of permits at a time
/// (<see cref="BlockSize"/>) and the requests after it spend the rest here, synchronously in
/// <see cref="AttemptAcquireCore"/>, until they run out or the block is older than <see cref="ReserveLifetime"/>.
/// When the reserve is empty the middleware awaits <see cref="AcquireAsyncCore"/>, which asks the grain again.
/// </summary>
/// <remarks>
/// Nothing is admitted beyond the budget: a permit spent here was taken from the grain's bucket first. What a
/// block costs is fairness between instances: permits one instance holds unspent (at most a block, for at most
/// the reserve's lifetime, then dropped) are permits another instance's request cannot have, so a caller spread
/// over <i>n</i> instances may be refused up to (<i>n</i> − 1) blocks early. Budgets under 200 per window have
/// blocks of one and are exact.
/// </remarks>
public sealed class GrainRateLimiter(IRateLimitGrain bucket, IHttpContextAccessor http, TimeProvider time, string policy, RateLimitRule rule)
    : RateLimiter
{
    public const string DecisionItem = "fo.rate-limit-decision";

    /// <summary>Permits asked for per grain call: 1 % of the budget, at least one.</summary>
    public static int BlockSize(RateLimitRule rule) => Math.Max(1, rule.PermitLimit / 100);

    /// <summary>
    /// How long unspent permits of a block stay good: the time the bucket takes to refill a block (1 % of the
    /// window), so an idle reserve cannot add to a burst from a bucket that has meanwhile refilled.
    /// </summary>
    public static TimeSpan ReserveLifetime(RateLimitRule rule) => rule.Window / 100;

    private readonly int _block = BlockSize(rule);
    private readonly TimeSpan _lifetime = ReserveLifetime(rule);
    private readonly Lock _reserveLock = new();
    private int _reserve;
    private long _reserveTakenAt;
    private RateLimitDecision? _lastGrant;
    private long _lastUsedAt = time.GetTimestamp();

    // The partitioned limiter drops limiters idle for a while (seconds); by then any reserve has expired.
    public override TimeSpan? IdleDuration => time.GetElapsedTime(Volatile.Read(ref _lastUsedAt));

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        Volatile.Write(ref _lastUsedAt, time.GetTimestamp());
        if (permitCount != 1)
        {
            return DecisionLease.Undecided;
        }

        RateLimitDecision decision;
        lock (_reserveLock)
        {
            if (_reserve == 0 || _lastGrant is null || time.GetElapsedTime(_reserveTakenAt) >= _lifetime)
            {
                _reserve = 0;
                return DecisionLease.Undecided;
            }

            _reserve--;
            decision = _lastGrant with { Remaining = _lastGrant.Remaining + _reserve, Granted = 1 };
        }

        Remember(decision);
        return new DecisionLease(decision);
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        var decision = await bucket.TakeAsync(rule, _block);
        if (!decision.Allowed)
        {
            ApiMetrics.RateLimited(policy);
        }
        else if (decision.Granted > 1)
        {
            lock (_reserveLock)
            {
                // Requests that found the reserve empty together each took a block; what they leave is pooled.
                var unexpired = time.GetElapsedTime(_reserveTakenAt) < _lifetime ? _reserve : 0;
                _reserve = unexpired + decision.Granted - 1;
                _reserveTakenAt = time.GetTimestamp();
                _lastGrant = decision;
                decision = decision with { Remaining = decision.Remaining + _reserve, Granted = 1 };
            }
        }

        Remember(decision);
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
