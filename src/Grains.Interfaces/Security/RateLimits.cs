namespace FurnitureOps.Grains.Interfaces.Security;

/// <summary>
/// A budget: <see cref="PermitLimit"/> requests per <see cref="Window"/>, refilled continuously (token bucket).
/// A key that hits the limit again and again is refused for a penalty that doubles with each strike up to
/// <see cref="MaxPenalty"/>; one strike is forgiven per <see cref="StrikeDecay"/> without a new one.
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.rate-limit-rule")]
public sealed record RateLimitRule(int PermitLimit, TimeSpan Window, TimeSpan MaxPenalty, TimeSpan StrikeDecay);

/// <summary>The answer for one request, with what the <c>RateLimit-*</c> and <c>Retry-After</c> headers report.</summary>
/// <param name="Allowed">Whether the request may proceed.</param>
/// <param name="Limit">The budget per window.</param>
/// <param name="Remaining">Whole requests left right now.</param>
/// <param name="Reset">Until the bucket is full again.</param>
/// <param name="RetryAfter">For a refused request: how long until a retry can succeed.</param>
/// <param name="Strikes">Current strikes of the key (what drives the penalty).</param>
/// <param name="Granted">Permits taken from the budget (one per request; more when a block was asked for, none when refused).</param>
[GenerateSerializer, Immutable, Alias("fo.rate-limit-decision")]
public sealed record RateLimitDecision(bool Allowed, int Limit, int Remaining, TimeSpan Reset, TimeSpan RetryAfter, int Strikes, int Granted = 1);

/// <summary>
/// One client key's budget (key e.g. <c>ip:203.0.113.9</c>, <c>user:tenant/sub</c>, <c>rewards:tenant/sub</c>).
/// One activation per key in the whole cluster, so every API instance draws on the same budget.
/// </summary>
[Alias("fo.IRateLimitGrain")]
public interface IRateLimitGrain : IGrainWithStringKey
{
    /// <summary>Takes one permit if the rule allows it now.</summary>
    [Alias("AcquireAsync")]
    Task<RateLimitDecision> AcquireAsync(RateLimitRule rule);

    /// <summary>
    /// Takes up to <paramref name="permits"/> permits (at least one, or the request is refused as by
    /// <see cref="AcquireAsync"/>), for a caller that spends them itself without asking again.
    /// </summary>
    [Alias("TakeAsync")]
    Task<RateLimitDecision> TakeAsync(RateLimitRule rule, int permits);
}
