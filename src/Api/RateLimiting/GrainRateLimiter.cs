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
/// over <i>n</i> instances may be refused up to (<i>n</i> − 1) blocks early. Concurrent callers share one refill,
/// so an instance holds at most one block. Budgets under 200 per window have blocks of one and are exact: every
/// request asks the grain.
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
    private Task<RateLimitDecision>? _refill;
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

        lock (_reserveLock)
        {
            return TakeLocked() is { } decision ? Lease(decision) : DecisionLease.Undecided;
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (_block == 1)
        {
            return Lease(await TakeFromGrainAsync(1));
        }

        // Callers that find the reserve empty together wait for one refill instead of each taking a block, so an
        // instance never holds more than one block. A caller outrun by the others for a few refills asks alone.
        for (var round = 0; round < RefillRounds; round++)
        {
            TaskCompletionSource<RateLimitDecision>? mine = null;
            Task<RateLimitDecision> refill;
            lock (_reserveLock)
            {
                if (TakeLocked() is { } local)
                {
                    return Lease(local);
                }

                if (_refill is null)
                {
                    mine = new TaskCompletionSource<RateLimitDecision>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _refill = mine.Task;
                }

                refill = _refill;
            }

            if (mine is not null)
            {
                await RefillAsync(mine); // outside the lock: it calls the grain
            }

            if (await refill is { Allowed: false } refused)
            {
                return Lease(refused);
            }
        }

        return Lease(await TakeFromGrainAsync(1));
    }

    private const int RefillRounds = 3;

    // Asks the grain for a block (the reserve is empty or expired) and tells everyone waiting for it.
    private async Task RefillAsync(TaskCompletionSource<RateLimitDecision> refill)
    {
        try
        {
            var decision = await TakeFromGrainAsync(_block);
            lock (_reserveLock)
            {
                if (decision.Allowed)
                {
                    _reserve = decision.Granted;
                    _reserveTakenAt = time.GetTimestamp();
                    _lastGrant = decision;
                }

                _refill = null;
            }

            refill.SetResult(decision);
        }
        catch (Exception error)
        {
            lock (_reserveLock)
            {
                _refill = null;
            }

            refill.SetException(error); // every waiter fails as a lone caller would (503 from the exception handler)
        }
    }

    // Every round trip to the budget's grain is counted (rate_limit_grain_calls_total): the bench checks there are
    // far fewer than requests.
    private Task<RateLimitDecision> TakeFromGrainAsync(int permits)
    {
        ApiMetrics.RateLimitGrainCalled(policy);
        return bucket.TakeAsync(rule, permits);
    }

    // One permit from the reserve, as a decision reporting what is left here and in the grain; null if none.
    private RateLimitDecision? TakeLocked()
    {
        if (_reserve == 0 || _lastGrant is null || time.GetElapsedTime(_reserveTakenAt) >= _lifetime)
        {
            _reserve = 0;
            return null;
        }

        _reserve--;
        return _lastGrant with { Remaining = _lastGrant.Remaining + _reserve, Granted = 1 };
    }

    private DecisionLease Lease(RateLimitDecision decision)
    {
        if (!decision.Allowed)
        {
            ApiMetrics.RateLimited(policy);
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
