using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Bench;

/// <summary>
/// The baseline's reservations keep FurnitureOps' guarantees, or the checkout scenario would compare
/// FurnitureOps with something that does less: holds never exceed on hand, whatever runs at once; a commit
/// sells the hold and a release frees it, once; a resent key replays its answer and writes nothing; and every
/// effect writes its ledger, audit and outbox rows.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class RowLockBaselineReservationTests(ApiFixture api) : RowLockBaselineTestBase(api)
{
    [Fact]
    public async Task ConcurrentReservationsNeverHoldMoreThanIsOnHand()
    {
        await Baseline.CreateSkusAsync(Tenant, ["S1"], onHand: 10);

        var answers = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => ReserveAsync("S1", 1, $"reserve-{i}")));

        Assert.Equal(10, answers.Count(answer => answer.StatusCode == HttpStatusCode.Created));
        var refused = answers.Where(answer => answer.StatusCode != HttpStatusCode.Created).ToList();
        Assert.Equal(20, refused.Count);
        Assert.All(refused, answer => Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode));
        Assert.All(await Task.WhenAll(refused.Select(answer => answer.JsonAsync())),
            body => Assert.Equal("insufficient_stock", body.GetProperty("code").GetString()));
        Assert.Equal(10, await ScalarAsync("SELECT reserved FROM stock WHERE tenant_id = $1"));
        Assert.Equal(10, await ScalarAsync("SELECT count(*) FROM reservations WHERE tenant_id = $1 AND status = 'held'"));
        Assert.Equal(10, await ScalarAsync("SELECT count(*) FROM stock_ledger WHERE tenant_id = $1 AND operation = 'reserve'"));
    }

    [Fact]
    public async Task ACommitSellsTheHoldOnceWithItsLedgerAuditAndOutboxRows()
    {
        await Baseline.CreateSkusAsync(Tenant, ["S1"], onHand: 10);
        var reservation = await ReservationIdAsync(await ReserveAsync("S1", 3, "reserve-1"));

        var committed = await ResolveAsync("S1", reservation, "commit", "commit-1");
        var releasedAfter = await ResolveAsync("S1", reservation, "release", "release-1");

        Assert.Equal(HttpStatusCode.OK, committed.StatusCode);
        var body = await committed.JsonAsync();
        Assert.Equal(("committed", 3L), (body.GetProperty("status").GetString(), body.GetProperty("committedQuantity").GetInt64()));
        var item = body.GetProperty("item");
        Assert.Equal((7L, 3L, 0L), (item.GetProperty("onHand").GetInt64(), item.GetProperty("sold").GetInt64(), item.GetProperty("reserved").GetInt64()));
        Assert.Equal(HttpStatusCode.Conflict, releasedAfter.StatusCode);
        var notHeld = await releasedAfter.JsonAsync();
        Assert.Equal(("reservation_not_held", "committed"), (notHeld.GetProperty("code").GetString(), notHeld.GetProperty("reservationStatus").GetString()));
        Assert.Equal((7, 3, 0), (await ScalarAsync("SELECT on_hand FROM stock WHERE tenant_id = $1"),
            await ScalarAsync("SELECT sold FROM stock WHERE tenant_id = $1"), await ScalarAsync("SELECT reserved FROM stock WHERE tenant_id = $1")));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM stock_ledger WHERE tenant_id = $1 AND operation = 'reservation_commit' AND quantity = 3"));
        Assert.Equal((2, 2, 2), (await ScalarAsync("SELECT count(*) FROM stock_ledger WHERE tenant_id = $1"),
            await ScalarAsync("SELECT count(*) FROM audit WHERE tenant_id = $1"), await ScalarAsync("SELECT count(*) FROM outbox WHERE tenant_id = $1")));
    }

    [Fact]
    public async Task AReleaseMakesTheHeldStockAvailableAgain()
    {
        await Baseline.CreateSkusAsync(Tenant, ["S1"], onHand: 2);
        var reservation = await ReservationIdAsync(await ReserveAsync("S1", 2, "reserve-1"));

        var reserveWhileHeld = await ReserveAsync("S1", 1, "reserve-2");
        var saleWhileHeld = await Client.PostJsonAsync("/v1/inventory/S1/sales", new { quantity = 1 }, "sale-1");
        var released = await ResolveAsync("S1", reservation, "release", "release-1");
        var reserveAfter = await ReserveAsync("S1", 1, "reserve-3");

        Assert.Equal((HttpStatusCode.Conflict, HttpStatusCode.Conflict), (reserveWhileHeld.StatusCode, saleWhileHeld.StatusCode));
        Assert.Equal("insufficient_stock", (await saleWhileHeld.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal("released", (await released.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Created, reserveAfter.StatusCode);
        Assert.Equal((2, 0, 1), (await ScalarAsync("SELECT on_hand FROM stock WHERE tenant_id = $1"),
            await ScalarAsync("SELECT sold FROM stock WHERE tenant_id = $1"), await ScalarAsync("SELECT reserved FROM stock WHERE tenant_id = $1")));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM stock_ledger WHERE tenant_id = $1 AND operation = 'reservation_release' AND quantity = 2"));
    }

    [Fact]
    public async Task AResentKeyReplaysTheFirstAnswerAndWritesNothing()
    {
        await Baseline.CreateSkusAsync(Tenant, ["S1"], onHand: 10);
        var first = await ReserveAsync("S1", 1, "reserve-1");
        var again = await ReserveAsync("S1", 1, "reserve-1");
        var reservation = await ReservationIdAsync(first);
        var commit = await ResolveAsync("S1", reservation, "commit", "commit-1");
        var commitAgain = await ResolveAsync("S1", reservation, "commit", "commit-1");
        var reused = await ResolveAsync("S1", reservation, "release", "commit-1");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
        var replayed = await again.JsonAsync();
        Assert.Equal(reservation, replayed.GetProperty("reservationId").GetGuid());
        Assert.True(replayed.GetProperty("replayed").GetBoolean());
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (commit.StatusCode, commitAgain.StatusCode));
        Assert.True((await commitAgain.JsonAsync()).GetProperty("replayed").GetBoolean());
        Assert.Equal("idempotency_key_reused", (await reused.JsonAsync()).GetProperty("code").GetString());
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM reservations WHERE tenant_id = $1"));
        Assert.Equal((2, 2), (await ScalarAsync("SELECT count(*) FROM stock_ledger WHERE tenant_id = $1"),
            await ScalarAsync("SELECT count(*) FROM outbox WHERE tenant_id = $1")));
        Assert.Equal((9, 1), (await ScalarAsync("SELECT on_hand FROM stock WHERE tenant_id = $1"), await ScalarAsync("SELECT sold FROM stock WHERE tenant_id = $1")));
    }

    [Fact]
    public async Task ConcurrentCommitsAndReleasesOfOneHoldResolveItOnce()
    {
        await Baseline.CreateSkusAsync(Tenant, ["S1"], onHand: 10);
        var reservation = await ReservationIdAsync(await ReserveAsync("S1", 4, "reserve-1"));

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            ResolveAsync("S1", reservation, i % 2 == 0 ? "commit" : "release", $"resolve-{i}")));

        Assert.Single(answers, answer => answer.StatusCode == HttpStatusCode.OK);
        Assert.Equal(19, answers.Count(answer => answer.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(0, await ScalarAsync("SELECT reserved FROM stock WHERE tenant_id = $1"));
        Assert.Equal(1, await ScalarAsync("SELECT count(*) FROM stock_ledger WHERE tenant_id = $1 AND operation <> 'reserve'"));
    }

    private Task<HttpResponseMessage> ReserveAsync(string sku, long quantity, string key) =>
        Client.PostJsonAsync($"/v1/inventory/{sku}/reservations", new { quantity, reference = key }, key);

    private Task<HttpResponseMessage> ResolveAsync(string sku, Guid reservation, string action, string key) =>
        Client.PostJsonAsync($"/v1/inventory/{sku}/reservations/{reservation:D}/{action}", new { }, key);

    private static async Task<Guid> ReservationIdAsync(HttpResponseMessage reserved)
    {
        Assert.Equal(HttpStatusCode.Created, reserved.StatusCode);
        return (await reserved.JsonAsync()).GetProperty("reservationId").GetGuid();
    }
}
