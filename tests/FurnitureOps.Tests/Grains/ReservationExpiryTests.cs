using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Grains;

/// <summary>Reservation expiry on the SKU grain, with grain time moved by the test: each expiry happens once.</summary>
[Collection(GrainClusterDefinition.Name)]
public sealed class ReservationExpiryTests(GrainClusterFixture cluster) : SkuGrainTestBase(cluster)
{
    [Fact]
    public async Task EachDueReservationExpiresOnceHoweverOftenAndFromWhereverItIsAsked()
    {
        await CreateAsync(onHand: 10);
        var now = Cluster.GrainTime.GetUtcNow();
        var (first, second) = (await ReserveAsync(2, now.AddMinutes(1)), await ReserveAsync(3, now.AddMinutes(1)));
        var later = await ReserveAsync(4, now.AddMinutes(10));

        Cluster.GrainTime.Advance(TimeSpan.FromMinutes(2));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Grain.ExpireDueAsync()));
        await ClusterTestActions.DeactivateAsync(Cluster.Client, Grain);
        var afterReactivation = await Grain.ExpireDueAsync();

        Assert.Equal(2, concurrent.Sum() + afterReactivation);
        Assert.Equal(2, await LedgerRows.ScalarAsync(Cluster.Database,
            "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2 AND operation = 'reservation_expire'", Tenant, Sku));
        Assert.Equal(ReservationStatus.Expired, (await Grain.GetReservationAsync(first))!.Status);
        Assert.Equal(ReservationStatus.Expired, (await Grain.GetReservationAsync(second))!.Status);
        Assert.Equal(ReservationStatus.Held, (await Grain.GetReservationAsync(later))!.Status);
        var item = (await Grain.GetAsync())!;
        Assert.Equal((4L, 6L), (item.Reserved, item.Available));
        await LedgerRows.AssertChainIntactAsync(Cluster.Database, Tenant, Sku);
    }

    [Fact]
    public async Task ACommitAfterTheExpiryTimeExpiresTheReservationInsteadOfSelling()
    {
        await CreateAsync(onHand: 10);
        var id = await ReserveAsync(5, Cluster.GrainTime.GetUtcNow().AddMinutes(1));

        Cluster.GrainTime.Advance(TimeSpan.FromMinutes(1));
        var late = await SendAsync(new CommitReservation(id, null), "late-commit");
        var resend = await SendAsync(new CommitReservation(id, null), "late-commit");

        Assert.Equal((SkuRejection.ReservationNotHeld, ReservationStatus.Expired), (late.Reply!.Rejection!.Code, late.Reply.Rejection.ReservationStatus));
        Assert.Equal(IdempotencyStatus.Replayed, resend.Status);
        Assert.Equal(0, await Grain.ExpireDueAsync());
        var item = (await Grain.GetAsync())!;
        Assert.Equal((10L, 0L, 0L), (item.OnHand, item.Sold, item.Reserved));
        Assert.Equal("reservation_expire", await LedgerRows.ScalarTextAsync(Cluster.Database,
            "SELECT operation FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2 ORDER BY version DESC LIMIT 1", Tenant, Sku));
    }

    [Fact]
    public async Task HeldReservationsSurviveReactivationAndTheDatabaseRefusesASecondResolution()
    {
        await CreateAsync(onHand: 10);
        var id = await ReserveAsync(4, Cluster.GrainTime.GetUtcNow().AddHours(1));
        await ClusterTestActions.DeactivateAsync(Cluster.Client, Grain);

        var reloaded = (await Grain.GetAsync())!;
        var released = await SendAsync(new ReleaseReservation(id));
        var rewrite = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => LedgerRows.ExecuteAsync(Cluster.Database,
            $"UPDATE inventory_reservations SET status = 'committed', committed_quantity = 4 WHERE reservation_id = '{id}'"));

        Assert.Equal((4L, 6L), (reloaded.Reserved, reloaded.Available));
        Assert.Equal(ReservationStatus.Released, released.Reply!.Reservation!.Status);
        Assert.Contains("already released", rewrite.MessageText, StringComparison.Ordinal);
    }

    private async Task<Guid> ReserveAsync(long quantity, DateTimeOffset expiresAt)
    {
        var id = Guid.CreateVersion7();
        var outcome = await SendAsync(new ReserveStock(id, quantity, expiresAt, null));
        Assert.Equal(ReservationStatus.Held, outcome.Reply!.Reservation!.Status);
        return id;
    }
}
