using FurnitureOps.Grains.Interfaces.Security;

namespace FurnitureOps.Grains.Security;

/// <summary>
/// A token bucket with abuse backoff, in memory: losing it on deactivation only forgives the key early, so it
/// is not persisted. Not reentrant: one decision at a time per key.
/// </summary>
public sealed class RateLimitGrain(GrainClock clock) : Grain, IRateLimitGrain
{
    private double _tokens = double.NaN;
    private DateTimeOffset _refilledAt;
    private int _strikes;
    private DateTimeOffset _penaltyUntil;

    public Task<RateLimitDecision> AcquireAsync(RateLimitRule rule) => TakeAsync(rule, permits: 1);

    public Task<RateLimitDecision> TakeAsync(RateLimitRule rule, int permits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permits, 1);
        var now = clock.Time.GetUtcNow();
        var perSecond = rule.PermitLimit / rule.Window.TotalSeconds;
        Refill(rule, now, perSecond);
        ForgiveStrikes(rule, now);

        if (now < _penaltyUntil)
        {
            return Task.FromResult(Refused(rule, perSecond, retryAfter: _penaltyUntil - now));
        }

        if (_tokens >= 1)
        {
            var granted = (int)Math.Min(permits, Math.Floor(_tokens));
            _tokens -= granted;
            return Task.FromResult(new RateLimitDecision(true, rule.PermitLimit, (int)_tokens, UntilFull(rule, perSecond), TimeSpan.Zero, _strikes, granted));
        }

        // Hitting the limit again after a penalty is what earns the next, doubled, penalty.
        _strikes++;
        var untilNextToken = TimeSpan.FromSeconds((1 - _tokens) / perSecond);
        var penalty = TimeSpan.FromTicks(Math.Min(rule.MaxPenalty.Ticks, untilNextToken.Ticks * (1L << Math.Min(_strikes - 1, 30))));
        _penaltyUntil = now + penalty;
        return Task.FromResult(Refused(rule, perSecond, retryAfter: penalty));
    }

    private void Refill(RateLimitRule rule, DateTimeOffset now, double perSecond)
    {
        _tokens = double.IsNaN(_tokens)
            ? rule.PermitLimit
            : Math.Min(rule.PermitLimit, _tokens + Math.Max(0, (now - _refilledAt).TotalSeconds) * perSecond);
        _refilledAt = now;
    }

    // Good behaviour starts when the last penalty ends; each quiet StrikeDecay since then forgives a strike.
    private void ForgiveStrikes(RateLimitRule rule, DateTimeOffset now)
    {
        if (_strikes == 0 || now < _penaltyUntil)
        {
            return;
        }

        var forgiven = (int)Math.Min(_strikes, (now - _penaltyUntil).Ticks / rule.StrikeDecay.Ticks);
        _strikes -= forgiven;
        _penaltyUntil += rule.StrikeDecay * forgiven;
    }

    private RateLimitDecision Refused(RateLimitRule rule, double perSecond, TimeSpan retryAfter) =>
        new(false, rule.PermitLimit, 0, UntilFull(rule, perSecond), retryAfter, _strikes, Granted: 0);

    private TimeSpan UntilFull(RateLimitRule rule, double perSecond) =>
        TimeSpan.FromSeconds(Math.Max(0, rule.PermitLimit - _tokens) / perSecond);
}
