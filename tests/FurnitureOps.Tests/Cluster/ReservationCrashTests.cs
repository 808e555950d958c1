using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Cluster;

/// <summary>
/// The silo process killed (SIGKILL) while it expires a reservation: the expiry's transaction is held in
/// PostgreSQL by a lock on the SKU's row, the silo dies with it in flight, and a silo started afterwards expires
/// the reservation on its own, once: one ledger row, one event, the stock available again.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class ReservationCrashTests(ApiFixture api)
{
    [Fact]
    public async Task AReservationWhoseSiloDiesWhileExpiringItExpiresOnceThroughTheNextSilo()
    {
        await using var cluster = await CrashCluster.StartAsync(api);
        await cluster.CreateSkuAsync("CHAIR", onHand: 10);
        var reserved = await cluster.SendAsync("/v1/inventory/CHAIR/reservations", new { quantity = 4, expiresInSeconds = 1 }, "hold-1");
        Assert.Equal(HttpStatusCode.Created, reserved.StatusCode);
        var reservationId = (await reserved.JsonAsync()).GetProperty("reservationId").GetString()!;

        // Taken before the reservation is due (the sweepers look every 200 ms after its second is up).
        await using var held = await cluster.HoldAsync(("inventory_items", "sku", "CHAIR"));
        await cluster.KillWhileHeldAsync(held, next: null);
        Assert.Equal(1, await cluster.ScalarAsync(
            "SELECT count(*) FROM inventory_reservations WHERE reservation_id = $1::uuid AND status = 'held'", reservationId));

        cluster.StartSilo();

        await Poll.UntilAsync(async () => await cluster.ScalarAsync(
                "SELECT count(*) FROM inventory_reservations WHERE reservation_id = $1::uuid AND status = 'expired'", reservationId) == 1,
            "the next silo expires the reservation", TimeSpan.FromMinutes(2));
        Assert.Equal(1, await cluster.ScalarAsync("SELECT count(*) FROM inventory_ledger WHERE operation = 'reservation_expire' AND reference = $1", reservationId));
        Assert.Equal(1, await cluster.ScalarAsync("SELECT count(*) FROM outbox WHERE event_type = 'inventory.reservation_expired.v1'"));
        Assert.Equal(0, await cluster.ScalarAsync("SELECT reserved FROM inventory_items WHERE sku = 'CHAIR'"));
        await LedgerRows.AssertChainIntactAsync(cluster.Database, CrashCluster.Tenant, "CHAIR");
    }
}
