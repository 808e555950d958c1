using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Grains;

[Collection(GrainClusterDefinition.Name)]
public sealed class LoyaltyGrainTests(GrainClusterFixture cluster) : PlayerGrainTestBase(cluster)
{
    [Fact]
    public async Task AccrualsRaiseBalanceLifetimeAndTier()
    {
        var first = await SendAsync(new AccruePoints(700, "pos", "sale-1"));
        var second = await SendAsync(new AccruePoints(500, "pos", "sale-2"));

        Assert.Equal(("bronze", "bronze"), (first.Reply!.Entry!.TierBefore, first.Reply.Entry.TierAfter));
        var state = second.Reply!.State!;
        Assert.Equal((1200L, 1200L, "silver"), (state.Balance, state.LifetimePoints, state.Tier));
        Assert.Equal(0.05, state.TierProgress, precision: 6);
        Assert.Equal(("bronze", "silver", 1200L), (second.Reply.Entry!.TierBefore, second.Reply.Entry.TierAfter, second.Reply.Entry.LifetimeAfter));
        Assert.Equal(1, await LedgerRows.ScalarAsync(Cluster.Database,
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND aggregate_id = $2 AND event_type = 'loyalty.tier_changed.v1'", Tenant, PlayerId));
    }

    [Fact]
    public async Task RedemptionLowersBalanceButNotLifetimeAndNeverGoesNegative()
    {
        await SendAsync(new AccruePoints(300, "pos", "sale-1"));

        var redeemed = await SendAsync(new RedeemPoints(100, "voucher-1"));
        var tooMuch = await SendAsync(new RedeemPoints(201, "voucher-2"));

        Assert.Equal((200L, 300L), (redeemed.Reply!.State!.Balance, redeemed.Reply.State.LifetimePoints));
        Assert.Equal(new LoyaltyRejection(LoyaltyRejection.InsufficientPoints, 200), tooMuch.Reply!.Rejection);
        Assert.Equal(200, (await Player.GetAsync())!.Balance);
    }

    [Fact]
    public async Task SameSourceNeverAccruesTwiceWhateverTheKey()
    {
        var first = await SendAsync(new AccruePoints(50, "rating_slip", "slip-1"), key: "k1");

        var again = await SendAsync(new AccruePoints(50, "rating_slip", "slip-1"), key: "k2");
        var replay = await SendAsync(new AccruePoints(50, "rating_slip", "slip-1"), key: "k2");

        Assert.True(again.Reply!.Deduplicated);
        Assert.Equal(first.Reply!.Entry, again.Reply.Entry);
        Assert.Equal(IdempotencyStatus.Replayed, replay.Status);
        Assert.Equal(50, (await Player.GetAsync())!.Balance);
        Assert.Equal(1, await LedgerRows.ScalarAsync(Cluster.Database,
            "SELECT count(*) FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2", Tenant, PlayerId));
    }

    [Fact]
    public async Task SameSourceIsRememberedAcrossActivations()
    {
        await SendAsync(new AccruePoints(50, "rating_slip", "slip-9"));
        await ClusterTestActions.DeactivateAsync(Cluster.Client, Player);

        var again = await SendAsync(new AccruePoints(50, "rating_slip", "slip-9"));

        Assert.True(again.Reply!.Deduplicated);
        Assert.Equal(50, (await Player.GetAsync())!.Balance);
    }

    [Fact]
    public async Task SameManualRewardTheSameDayIsOneEntryAndTheNextDayANewOne()
    {
        var first = await SendAsync(new AwardPoints(100, "birthday"));
        var sameDay = await SendAsync(new AwardPoints(100, "birthday"));
        var otherStaff = await SendAsync(new AwardPoints(100, "birthday"), staff: "staff-2");

        Cluster.GrainTime.Advance(TimeSpan.FromDays(1));
        var nextDay = await SendAsync(new AwardPoints(100, "birthday"));

        Assert.False(first.Reply!.Deduplicated);
        Assert.True(sameDay.Reply!.Deduplicated);
        Assert.Equal(first.Reply.Entry, sameDay.Reply.Entry);
        Assert.False(otherStaff.Reply!.Deduplicated);
        Assert.False(nextDay.Reply!.Deduplicated);
        Assert.Equal(300, (await Player.GetAsync())!.Balance);
    }

    [Fact]
    public async Task RedeemingFromAnUntouchedPlayerIsRefusedWithoutCreatingIt()
    {
        var refused = await SendAsync(new RedeemPoints(1, "voucher"));

        Assert.Equal(new LoyaltyRejection(LoyaltyRejection.InsufficientPoints, 0), refused.Reply!.Rejection);
        Assert.Null(await Player.GetAsync());
    }

    [Fact]
    public async Task ConcurrentRewardsAccrualsAndRedemptionsLoseNoUpdateAndNeverGoNegative()
    {
        await SendAsync(new AccruePoints(100, "seed", "seed"));

        var commands = Enumerable.Range(0, 60).Select(i => (i % 3) switch
        {
            0 => (LoyaltyCommand)new AwardPoints(10, $"reward-{i}"),
            1 => new AccruePoints(20, "rating_slip", $"slip-{i}"),
            _ => new RedeemPoints(45, $"voucher-{i}"),
        });
        var outcomes = await Task.WhenAll(commands.Select(command => SendAsync(command)));

        var state = (await Player.GetAsync())!;
        var ledgerSum = await LedgerRows.ScalarAsync(Cluster.Database,
            "SELECT coalesce(sum(CASE WHEN operation = 'redeem' THEN -points ELSE points END), 0) FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2",
            Tenant, PlayerId);
        Assert.Equal(ledgerSum, state.Balance);
        Assert.True(state.Balance >= 0);
        Assert.Equal(1 + outcomes.Count(o => o.Reply!.Entry is not null), state.Version);
        Assert.Equal(0, await LedgerRows.ScalarAsync(Cluster.Database,
            "SELECT count(*) FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2 AND balance_after < 0", Tenant, PlayerId));
    }
}
