using System.Diagnostics.Metrics;
using FurnitureOps.Api.RateLimiting;
using FurnitureOps.Api.Telemetry;
using FurnitureOps.Grains.Interfaces.Security;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace FurnitureOps.Tests.Api;

/// <summary>
/// The API's limiter takes permits from the key's grain a block at a time and spends the rest locally: fewer
/// grain calls, never more admitted than the budget, exact for small budgets. Against the test cluster's real
/// rate-limit grains (whose clock stands still unless a test moves it, so buckets do not refill meanwhile).
/// </summary>
[Collection(GrainClusterDefinition.Name)]
public sealed class GrainRateLimiterTests(GrainClusterFixture cluster)
{
    private static readonly RateLimitRule SixHundredPerMinute = new(600, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(5));

    private readonly FakeTimeProvider _apiTime = new();

    [Fact]
    public async Task ABlockIsTakenOnceThenSpentLocallyUntilItRunsOut()
    {
        var (limiter, bucket, http) = Limiter(SixHundredPerMinute);

        var asked = await limiter.AcquireAsync();
        var local = Enumerable.Range(0, 5).Select(_ => limiter.AttemptAcquire()).ToList();
        var afterBlock = limiter.AttemptAcquire();

        Assert.True(asked.IsAcquired);
        Assert.All(local, lease => Assert.True(lease.IsAcquired));
        Assert.False(afterBlock.IsAcquired); // the block of 6 (1 % of 600) is spent: the next request asks the grain
        Assert.Equal(599 - 5, Reported(http).Remaining); // the grain's 594 plus none left here

        // The grain gave out exactly one block: a direct request sees 600 − 6 − 1 left.
        Assert.Equal(593, (await bucket.AcquireAsync(SixHundredPerMinute)).Remaining);
    }

    [Fact]
    public async Task UnspentPermitsAreDroppedOnceTheBucketWouldHaveRefilledThem()
    {
        var (limiter, _, _) = Limiter(SixHundredPerMinute);
        Assert.True((await limiter.AcquireAsync()).IsAcquired);

        _apiTime.Advance(GrainRateLimiter.ReserveLifetime(SixHundredPerMinute)); // 0.6 s

        Assert.False(limiter.AttemptAcquire().IsAcquired);
    }

    [Fact]
    public async Task SmallBudgetsAreExactEveryRequestAsksTheGrain()
    {
        var twenty = SixHundredPerMinute with { PermitLimit = 20 };
        var (limiter, bucket, _) = Limiter(twenty);

        Assert.True((await limiter.AcquireAsync()).IsAcquired);

        Assert.False(limiter.AttemptAcquire().IsAcquired);
        Assert.Equal(18, (await bucket.AcquireAsync(twenty)).Remaining);
    }

    [Fact]
    public async Task CallersFindingTheReserveEmptyTogetherShareOneRefill()
    {
        var (limiter, bucket, _) = Limiter(SixHundredPerMinute);
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // 48 callers at once on an empty reserve (released together, without blocking a thread each): eight
        // blocks of six serve them all.
        var callers = Enumerable.Range(0, 48).Select(async _ =>
        {
            await start.Task;
            return await limiter.AcquireAsync();
        }).ToList();
        start.SetResult();
        var leases = await Task.WhenAll(callers);

        Assert.All(leases, lease => Assert.True(lease.IsAcquired));

        // Each caller taking a block of its own would have left 600 − 48 × 6 = 312; shared refills leave at
        // least 600 − 48 − 6 (one block at most still held), less the one permit this check takes.
        Assert.True((await bucket.AcquireAsync(SixHundredPerMinute)).Remaining >= 600 - 48 - 6 - 1);
    }

    [Fact]
    public async Task TwoInstancesRacingNeverAdmitMoreThanTheBudget()
    {
        var budget = SixHundredPerMinute with { PermitLimit = 300 }; // blocks of 3
        var key = $"test:{Guid.NewGuid():N}";
        var instances = new[] { Limiter(budget, key).Limiter, Limiter(budget, key).Limiter };
        using var start = new Barrier(instances.Length);

        // Each instance sends 300 requests from 8 callers at once: 600 requests for a budget of 300.
        var admitted = await Task.WhenAll(instances.Select(limiter => Task.Run(async () =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(10));
            var counts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
            {
                var allowed = 0;
                for (var i = 0; i < 300 / 8 + 1; i++)
                {
                    using var lease = limiter.AttemptAcquire() is { IsAcquired: true } local ? local : await limiter.AcquireAsync();
                    allowed += lease.IsAcquired ? 1 : 0;
                }

                return allowed;
            })));
            return counts.Sum();
        })));

        // Nothing beyond the budget; at most one block per instance left unspent (held, not admitted).
        Assert.InRange(admitted.Sum(), 300 - 2 * GrainRateLimiter.BlockSize(budget), 300);
    }

    [Fact]
    public async Task EveryRoundTripToTheGrainIsCountedAndNoLocalPermit()
    {
        // The counter is process-wide; a policy name of this test's own keeps other tests' limiters out of it.
        var policy = $"test-{Guid.NewGuid():N}";
        long counted = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ApiMetrics.MeterName && instrument.Name == "rate_limit_grain_calls")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "policy", Value: string name } && name == policy)
                {
                    Interlocked.Add(ref counted, value);
                }
            }
        });
        listener.Start();
        var (limiter, _, _) = Limiter(SixHundredPerMinute, policy: policy);

        Assert.True((await limiter.AcquireAsync()).IsAcquired); // asks the grain for a block of 6
        Assert.All(Enumerable.Range(0, 5), _ => Assert.True(limiter.AttemptAcquire().IsAcquired)); // spent here
        Assert.True((await limiter.AcquireAsync()).IsAcquired); // the block is spent: asks again

        Assert.Equal(2, Interlocked.Read(ref counted));
    }

    private (GrainRateLimiter Limiter, IRateLimitGrain Bucket, HttpContextAccessor Http) Limiter(
        RateLimitRule rule, string? key = null, string policy = "authenticated")
    {
        var bucket = cluster.Client.GetGrain<IRateLimitGrain>(key ?? $"test:{Guid.NewGuid():N}");
        var http = new HttpContextAccessor { HttpContext = new DefaultHttpContext() };
        return (new GrainRateLimiter(bucket, http, _apiTime, policy, rule), bucket, http);
    }

    private static RateLimitDecision Reported(HttpContextAccessor http) =>
        Assert.IsType<RateLimitDecision>(http.HttpContext!.Items[GrainRateLimiter.DecisionItem]);
}
