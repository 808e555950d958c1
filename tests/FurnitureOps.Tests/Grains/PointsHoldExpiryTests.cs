using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Grains;

/// <summary>Points holds on the player grain, with grain time moved by the test: each expiry happens once.</summary>
/// <remarks>
/// Holds that need not expire are given an expiry in the real future: the API fixture's silo, when it runs in
/// the same test run, sweeps the same database by the real clock, and this cluster's time is a year back.
/// </remarks>
[Collection(GrainClusterDefinition.Name)]
public sealed class PointsHoldExpiryTests(GrainClusterFixture cluster) : PlayerGrainTestBase(cluster)
{
    private static DateTimeOffset NeverDue => DateTimeOffset.UtcNow.AddDays(1);

    [Fact]
    public async Task EachDueHoldExpiresOnceHoweverOftenAndFromWhereverItIsAsked()
    {
        await AccrueAsync(100);
        var now = Cluster.GrainTime.GetUtcNow();
        var (first, second) = (await HoldAsync(20, now.AddMinutes(1)), await HoldAsync(30, now.AddMinutes(1)));
        var later = await HoldAsync(40, NeverDue);

        Cluster.GrainTime.Advance(TimeSpan.FromMinutes(2));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Player.ExpireDueHoldsAsync()));
        await ClusterTestActions.DeactivateAsync(Cluster.Client, Player);
        var afterReactivation = await Player.ExpireDueHoldsAsync();

        Assert.Equal(2, concurrent.Sum() + afterReactivation);
        Assert.Equal(2, await LedgerRows.ScalarAsync(Cluster.Database,
            "SELECT count(*) FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2 AND operation = 'hold_expire'", Tenant, PlayerId));
        Assert.Equal(2, await LedgerRows.ScalarAsync(Cluster.Database,
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND aggregate_id = $2 AND event_type = 'loyalty.points_hold_expired.v1'", Tenant, PlayerId));
        Assert.Equal(PointsHoldStatus.Expired, (await Player.GetHoldAsync(first))!.Status);
        Assert.Equal(PointsHoldStatus.Expired, (await Player.GetHoldAsync(second))!.Status);
        Assert.Equal(PointsHoldStatus.Held, (await Player.GetHoldAsync(later))!.Status);
        var state = (await Player.GetAsync())!;
        Assert.Equal((100L, 40L, 60L), (state.Balance, state.Held, state.Available));
        await PlayerLedgerRows.AssertChainIntactAsync(Cluster.Database, Tenant, PlayerId);
    }

    [Fact]
    public async Task ACommitAfterTheExpiryTimeExpiresTheHoldInsteadOfRedeeming()
    {
        await AccrueAsync(100);
        var id = await HoldAsync(50, Cluster.GrainTime.GetUtcNow().AddMinutes(1));

        Cluster.GrainTime.Advance(TimeSpan.FromMinutes(1));
        var late = await SendAsync(new CommitPointsHold(id, null), "late-commit");
        var resend = await SendAsync(new CommitPointsHold(id, null), "late-commit");

        Assert.Equal((LoyaltyRejection.HoldNotHeld, PointsHoldStatus.Expired), (late.Reply!.Rejection!.Code, late.Reply.Rejection.HoldStatus));
        Assert.Equal(PointsHoldStatus.Expired, late.Reply.Hold!.Status);
        Assert.Equal(IdempotencyStatus.Replayed, resend.Status);
        Assert.Equal(0, await Player.ExpireDueHoldsAsync());
        var state = (await Player.GetAsync())!;
        Assert.Equal((100L, 0L), (state.Balance, state.Held));
        Assert.Equal("hold_expire", await LedgerRows.ScalarTextAsync(Cluster.Database,
            "SELECT operation FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2 ORDER BY version DESC LIMIT 1", Tenant, PlayerId));
    }

    [Fact]
    public async Task HeldHoldsSurviveReactivationAndTheDatabaseRefusesASecondResolution()
    {
        await AccrueAsync(100);
        var id = await HoldAsync(40, NeverDue);
        await ClusterTestActions.DeactivateAsync(Cluster.Client, Player);

        var reloaded = (await Player.GetAsync())!;
        var tooMuch = await SendAsync(new RedeemPoints(61, "voucher"));
        var released = await SendAsync(new ReleasePointsHold(id));
        var rewrite = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => LedgerRows.ExecuteAsync(Cluster.Database,
            $"UPDATE loyalty_holds SET status = 'committed', committed_points = 40 WHERE hold_id = '{id}'"));

        Assert.Equal((40L, 60L), (reloaded.Held, reloaded.Available));
        Assert.Equal(new LoyaltyRejection(LoyaltyRejection.InsufficientPoints, 60), tooMuch.Reply!.Rejection);
        Assert.Equal(PointsHoldStatus.Released, released.Reply!.Hold!.Status);
        Assert.Contains("already released", rewrite.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReversalTakesBackOnlyWhatNoHoldHolds()
    {
        await AccrueAsync(100);
        await HoldAsync(70, NeverDue);

        var reversed = await SendAsync(new ReversePoints(50, "pos_return", "return-1"));

        Assert.Equal((30L, 100L, 70L), (reversed.Reply!.Entry!.Points, reversed.Reply.Entry.BalanceBefore, reversed.Reply.Entry.BalanceAfter));
        var state = (await Player.GetAsync())!;
        Assert.Equal((70L, 70L, 0L), (state.Balance, state.Held, state.Available));
        await PlayerLedgerRows.AssertChainIntactAsync(Cluster.Database, Tenant, PlayerId);
    }

    private async Task AccrueAsync(long points) =>
        Assert.NotNull((await SendAsync(new AccruePoints(points, "visit", Guid.NewGuid().ToString("N")))).Reply!.Entry);

    private async Task<Guid> HoldAsync(long points, DateTimeOffset expiresAt)
    {
        var id = Guid.CreateVersion7();
        var outcome = await SendAsync(new HoldPoints(id, points, expiresAt, null));
        Assert.Equal(PointsHoldStatus.Held, outcome.Reply!.Hold!.Status);
        return id;
    }
}
