using System.Net;
using FurnitureOps.Api.Pos;
using FurnitureOps.Testing;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Cluster;

/// <summary>
/// The silo process killed (SIGKILL) right after each saga step in turn: the next step's transaction is held
/// in PostgreSQL by a row lock of the test's (so everything before it is committed and nothing after it), the
/// silo dies, and a silo started afterwards finishes the saga on its own, from its row, with no client resend
/// and no reminder: every step's effect exactly once, the completion event once, the ledger chains unbroken.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class SagaCrashTests(ApiFixture api)
{
    private const string Tenant = CrashCluster.Tenant;

    [Theory]
    [InlineData("accepted")] // the sale's transaction is held
    [InlineData("sold")] // the accrual's
    [InlineData("accrued")] // the completion's
    public async Task APosEventWhoseSiloDiesAfterAStepIsFinishedOnceByTheNextSilo(string step)
    {
        await using var cluster = await CrashCluster.StartAsync(api);
        await cluster.CreateSkuAsync("CHAIR", onHand: 10);
        await cluster.AccrueAsync("P-1", points: 5); // the player's row exists: the accrual is an update that a lock can hold
        var eventId = PosApi.EventIdFor(Tenant, "till-1", "receipt-1").ToString();

        await using var held = await cluster.HoldAsync(step == "accepted" ? ("inventory_items", "sku", "CHAIR") : ("loyalty_players", "player_id", "P-1"));
        var delivery = cluster.SendAsync("/v1/pos/events", new
        {
            source = "till-1",
            type = "sale",
            occurredAt = "2026-11-20T10:00:00Z",
            lines = new[] { new { sku = "CHAIR", quantity = 3 } },
            playerId = "P-1",
            amount = 40m,
        }, "receipt-1");
        await cluster.KillWhileHeldAsync(held, step == "accrued" ? ("pos_events", "event_id", eventId) : null);
        await delivery; // whatever it got (201 before the completion committed, or a failure): the silo is gone

        cluster.StartSilo();

        await cluster.UntilFinishedAsync("pos_events", "event_id", eventId, "applied");
        Assert.Equal(7, await cluster.ScalarAsync("SELECT on_hand FROM inventory_items WHERE sku = 'CHAIR'"));
        Assert.Equal(1, await cluster.ScalarAsync("SELECT count(*) FROM inventory_ledger WHERE reference = $1", $"pos:{eventId}"));
        Assert.Equal(1, await cluster.ScalarAsync("SELECT count(*) FROM loyalty_ledger WHERE business_key = $1", $"pos:{eventId}"));
        Assert.Equal(45, await cluster.ScalarAsync("SELECT balance FROM loyalty_players WHERE player_id = 'P-1'"));
        Assert.Equal(1, await cluster.ScalarAsync("SELECT count(*) FROM outbox WHERE event_type = 'pos.event_applied.v1' AND aggregate_id = $1", eventId));
        Assert.Equal(0, await cluster.ScalarAsync("SELECT count(*) FROM orleans_reminders"));
        await LedgerRows.AssertChainIntactAsync(cluster.Database, Tenant, "CHAIR");
    }

    [Theory]
    [InlineData("completed")] // the accrual's transaction is held
    [InlineData("accrued")] // the slip's final save
    public async Task ARatingSlipWhoseSiloDiesAfterAStepAccruesOnceThroughTheNextSilo(string step)
    {
        await using var cluster = await CrashCluster.StartAsync(api);
        await cluster.AccrueAsync("P-1", points: 5);
        var opened = await cluster.SendAsync("/v1/rating-slips", new { playerId = "P-1", game = "blackjack", averageBet = 20 }, "open-1");
        var slipId = (await opened.JsonAsync()).GetProperty("slipId").GetString()!;

        await using var held = await cluster.HoldAsync(("loyalty_players", "player_id", "P-1"));
        var completion = cluster.SendAsync($"/v1/rating-slips/{slipId}/complete", new { minutesPlayed = 10 }, "complete-1");
        await cluster.KillWhileHeldAsync(held, step == "accrued" ? ("rating_slips", "slip_id", slipId) : null);
        await completion;

        cluster.StartSilo();

        await cluster.UntilFinishedAsync("rating_slips", "slip_id", slipId, "accrued");
        Assert.Equal(1, await cluster.ScalarAsync("SELECT count(*) FROM loyalty_ledger WHERE business_key = $1", $"rating_slip:{slipId}"));
        Assert.Equal(25, await cluster.ScalarAsync("SELECT balance FROM loyalty_players WHERE player_id = 'P-1'"));
        Assert.Equal(1, await cluster.ScalarAsync("SELECT count(*) FROM outbox WHERE event_type = 'rating_slip.completed.v1' AND aggregate_id = $1", slipId));
        Assert.Equal(0, await cluster.ScalarAsync("SELECT count(*) FROM orleans_reminders"));
    }
}
