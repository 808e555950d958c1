using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Bench;

/// <summary>
/// The bench's row-lock baseline is an honest implementation of the seeds' design: exactly one effect per key
/// under concurrent duplicates, stored answers for replays, refusals that write nothing. Otherwise its figures
/// would flatter or shame FurnitureOps for the wrong reason.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class RowLockBaselineTests(ApiFixture api) : RowLockBaselineTestBase(api)
{
    [Fact]
    public async Task TwentyConcurrentCopiesOfOneSaleApplyItOnceAndAllGetItsAnswer()
    {
        await Baseline.CreateSkusAsync(Tenant, ["S1"], onHand: 10);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Client.PostJsonAsync("/v1/inventory/S1/sales", new { quantity = 3 }, "sale-1")));

        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.StatusCode));
        Assert.All(await Task.WhenAll(answers.Select(a => a.JsonAsync())), body => Assert.Equal(7, body.GetProperty("onHand").GetInt64()));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM stock_ledger WHERE tenant_id = $1"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM audit WHERE tenant_id = $1"));
        Assert.Equal(7, await ScalarAsync("SELECT on_hand FROM stock WHERE tenant_id = $1"));
    }

    [Fact]
    public async Task RefusalsWriteNothingAndAreStoredUnderTheirKey()
    {
        await Baseline.CreateSkusAsync(Tenant, ["S1"], onHand: 2);

        var tooMany = await Client.PostJsonAsync("/v1/inventory/S1/sales", new { quantity = 5 }, "sale-big");
        var again = await Client.PostJsonAsync("/v1/inventory/S1/sales", new { quantity = 5 }, "sale-big");
        var reused = await Client.PostJsonAsync("/v1/inventory/S1/sales", new { quantity = 1 }, "sale-big");
        var noKey = await Client.PostJsonAsync("/v1/inventory/S1/sales", new { quantity = 0 }, "sale-zero");

        Assert.Equal(HttpStatusCode.Conflict, tooMany.StatusCode);
        Assert.Equal("insufficient_stock", (await tooMany.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.True((await again.JsonAsync()).GetProperty("replayed").GetBoolean());
        Assert.Equal("idempotency_key_reused", (await reused.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, noKey.StatusCode);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM stock_ledger WHERE tenant_id = $1"));
        Assert.Equal(2, await ScalarAsync("SELECT on_hand FROM stock WHERE tenant_id = $1"));
    }

    [Fact]
    public async Task RedemptionsNeverTakeTheBalanceBelowZero()
    {
        var accrued = await Client.PostJsonAsync("/v1/players/P1/loyalty/accruals", new { points = 50 }, "accrue-1");
        var tooMuch = await Client.PostJsonAsync("/v1/players/P1/loyalty/redemptions", new { points = 80 }, "redeem-1");
        var redeemed = await Client.PostJsonAsync("/v1/players/P1/loyalty/redemptions", new { points = 30 }, "redeem-2");

        Assert.Equal(HttpStatusCode.OK, accrued.StatusCode);
        Assert.Equal("insufficient_points", (await tooMuch.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(20, (await redeemed.JsonAsync()).GetProperty("balance").GetInt64());
        Assert.Equal(2, await ScalarAsync("SELECT count(*) FROM points_ledger WHERE tenant_id = $1"));
    }
}
