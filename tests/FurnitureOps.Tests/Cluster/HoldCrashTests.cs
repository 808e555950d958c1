using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Cluster;

/// <summary>
/// The silo process killed (SIGKILL) between the lines of a hold's placement: the first line's reservation is
/// committed, the second's transaction is held in PostgreSQL by a lock on its SKU's row when the silo dies. The
/// next silo finishes the placement by itself: the hold ends held on both lines, each reserved once, with the
/// answer the client's retry of the placement gets.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class HoldCrashTests(ApiFixture api)
{
    [Fact]
    public async Task AHoldWhoseSiloDiesBetweenLinesLeavesNoOrphanAndEachLineIsReservedOnce()
    {
        await using var cluster = await CrashCluster.StartAsync(api);
        await cluster.CreateSkuAsync("DESK", onHand: 10);
        await cluster.CreateSkuAsync("LAMP", onHand: 10);
        var body = new { lines = new[] { new { sku = "DESK", quantity = 2 }, new { sku = "LAMP", quantity = 3 } } };

        await using var held = await cluster.HoldAsync(("inventory_items", "sku", "LAMP"));
        var placement = cluster.SendAsync("/v1/holds", body, "checkout-1");
        await cluster.KillWhileHeldAsync(held, next: null);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await placement).StatusCode);
        Assert.Equal(1, await cluster.ScalarAsync("SELECT count(*) FROM stock_holds WHERE status = 'placing'"));
        Assert.Equal(2, await cluster.ScalarAsync("SELECT reserved FROM inventory_items WHERE sku = 'DESK'"));

        cluster.StartSilo();

        await cluster.UntilStatusAsync("stock_holds", "held");
        foreach (var (sku, quantity) in new[] { ("DESK", 2L), ("LAMP", 3L) })
        {
            Assert.Equal(quantity, await cluster.ScalarAsync("SELECT reserved FROM inventory_items WHERE sku = $1", sku));
            Assert.Equal(1, await cluster.ScalarAsync("SELECT count(*) FROM inventory_ledger WHERE sku = $1 AND operation = 'reserve'", sku));
            Assert.Equal(1, await cluster.ScalarAsync("SELECT count(*) FROM inventory_reservations WHERE sku = $1 AND status = 'held'", sku));
            await LedgerRows.AssertChainIntactAsync(cluster.Database, CrashCluster.Tenant, sku);
        }

        // The placement's answer is recorded under its key for the client's retry (this API is still joined to the
        // dead silo's cluster, so the row says it).
        Assert.Equal(1, await cluster.ScalarAsync(
            "SELECT count(*) FROM stock_holds WHERE saga -> 'keys' -> 'checkout-1' -> 'reply' -> 'hold' ->> 'status' = 'held'"));
    }
}
