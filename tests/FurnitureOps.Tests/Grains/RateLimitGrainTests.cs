using FurnitureOps.Grains.Interfaces.Security;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Grains;

[Collection(GrainClusterDefinition.Name)]
public sealed class RateLimitGrainTests(GrainClusterFixture cluster)
{
    // 2 per 10 s: one token every 5 s.
    private static readonly RateLimitRule Rule = new(2, TimeSpan.FromSeconds(10), MaxPenalty: TimeSpan.FromSeconds(60), StrikeDecay: TimeSpan.FromSeconds(30));

    private readonly IRateLimitGrain _bucket = cluster.Client.GetGrain<IRateLimitGrain>($"test:{Guid.NewGuid():N}");

    [Fact]
    public async Task BudgetIsSpentThenRefusedWithRetryAfter()
    {
        var first = await _bucket.AcquireAsync(Rule);
        var second = await _bucket.AcquireAsync(Rule);
        var third = await _bucket.AcquireAsync(Rule);

        Assert.Equal((true, 2, 1), (first.Allowed, first.Limit, first.Remaining));
        Assert.Equal((true, 0), (second.Allowed, second.Remaining));
        Assert.False(third.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(5), third.RetryAfter);
    }

    [Fact]
    public async Task ABlockTakesWhatIsLeftUpToTheAskAndAnEmptyBucketRefusesIt()
    {
        var block = await _bucket.TakeAsync(Rule, permits: 5);
        var empty = await _bucket.TakeAsync(Rule, permits: 5);

        Assert.Equal((true, 2, 0), (block.Allowed, block.Granted, block.Remaining)); // only 2 in the bucket
        Assert.Equal((false, 0), (empty.Allowed, empty.Granted));
        Assert.Equal(TimeSpan.FromSeconds(5), empty.RetryAfter);
    }

    [Fact]
    public async Task PenaltyDoublesForAKeyThatKeepsHittingTheLimitAndDecaysAfterGoodBehaviour()
    {
        var penalties = new List<TimeSpan>();
        for (var round = 0; round < 3; round++)
        {
            RateLimitDecision decision;
            while ((decision = await _bucket.AcquireAsync(Rule)).Allowed)
            {
            }

            penalties.Add(decision.RetryAfter);
            var duringPenalty = await _bucket.AcquireAsync(Rule);
            Assert.False(duringPenalty.Allowed);
            Assert.Equal(decision.Strikes, duringPenalty.Strikes);
            cluster.GrainTime.Advance(decision.RetryAfter);
        }

        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)], penalties);

        cluster.GrainTime.Advance(TimeSpan.FromSeconds(3 * 30));
        var afterGoodBehaviour = await _bucket.AcquireAsync(Rule);
        while ((await _bucket.AcquireAsync(Rule)).Allowed)
        {
        }

        var nextOffence = await _bucket.AcquireAsync(Rule);
        Assert.True(afterGoodBehaviour.Allowed);
        Assert.Equal(0, afterGoodBehaviour.Strikes);
        Assert.Equal(1, nextOffence.Strikes);
    }

    [Fact]
    public async Task PenaltyIsCapped()
    {
        TimeSpan longest = TimeSpan.Zero;
        for (var round = 0; round < 8; round++)
        {
            RateLimitDecision decision;
            while ((decision = await _bucket.AcquireAsync(Rule)).Allowed)
            {
            }

            longest = decision.RetryAfter;
            cluster.GrainTime.Advance(decision.RetryAfter);
        }

        Assert.Equal(Rule.MaxPenalty, longest);
    }
}
