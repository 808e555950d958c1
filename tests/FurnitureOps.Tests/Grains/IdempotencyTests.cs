using FurnitureOps.Grains;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Silo;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace FurnitureOps.Tests.Grains;

[Collection(GrainClusterDefinition.Name)]
public sealed class IdempotencyTests(GrainClusterFixture cluster) : SkuGrainTestBase(cluster)
{
    [Fact]
    public async Task ResendWithSameKeyReplaysStoredReplyAndWritesNothing()
    {
        await CreateAsync(onHand: 10);
        var first = await SendAsync(new SellStock(3, "order-1"), key: "sale-1");
        var rowsAfterFirst = await CountRowsAsync();

        var replay = await SendAsync(new SellStock(3, "order-1"), key: "sale-1");

        Assert.Equal(IdempotencyStatus.Fresh, first.Status);
        Assert.Equal(IdempotencyStatus.Replayed, replay.Status);
        Assert.Equal(first.Reply, replay.Reply);
        Assert.Equal(rowsAfterFirst, await CountRowsAsync());
        Assert.Equal(7, (await Grain.GetAsync())!.OnHand);
    }

    [Fact]
    public async Task SameKeyWithChangedPayloadIsRefusedAndWritesNothing()
    {
        await CreateAsync(onHand: 10);
        await SendAsync(new SellStock(3, null), key: "sale-1");
        var rowsBefore = await CountRowsAsync();

        var reused = await SendAsync(new SellStock(4, null), key: "sale-1");

        Assert.Equal(IdempotencyStatus.KeyReused, reused.Status);
        Assert.Null(reused.Reply);
        Assert.Equal(rowsBefore, await CountRowsAsync());
        Assert.Equal(7, (await Grain.GetAsync())!.OnHand);
    }

    [Fact]
    public async Task BusinessRejectionIsRecordedAndReplayed()
    {
        await CreateAsync(onHand: 2);

        var rejected = await SendAsync(new SellStock(5, null), key: "too-many");
        await SendAsync(new ReceiveStock(10, null));
        var replay = await SendAsync(new SellStock(5, null), key: "too-many");

        Assert.Equal(new SkuRejection(SkuRejection.InsufficientStock, 2), rejected.Reply!.Rejection);
        Assert.Equal(IdempotencyStatus.Replayed, replay.Status);
        Assert.Equal(rejected.Reply, replay.Reply);
        Assert.Equal(12, (await Grain.GetAsync())!.OnHand);
    }

    [Fact]
    public async Task UnknownSkuIsRefusedWithoutRecordingTheKey()
    {
        var refused = await SendAsync(new SellStock(1, null), key: "early");
        await CreateAsync(onHand: 5);
        var afterCreate = await SendAsync(new SellStock(1, null), key: "early");

        Assert.Equal(SkuRejection.SkuNotFound, refused.Reply!.Rejection!.Code);
        Assert.Equal(IdempotencyStatus.Fresh, afterCreate.Status);
        Assert.Equal(4, afterCreate.Reply!.Item!.OnHand);
    }

    [Fact]
    public async Task DeactivationAndReactivationKeepStateAndKeys()
    {
        await CreateAsync(onHand: 10);
        var sale = await SendAsync(new SellStock(4, null), key: "sale-before-restart");
        var before = await Grain.GetAsync();

        await ClusterTestActions.DeactivateAsync(Cluster.Client, Grain);

        Assert.Equal(before, await Grain.GetAsync());
        var replay = await SendAsync(new SellStock(4, null), key: "sale-before-restart");
        Assert.Equal(IdempotencyStatus.Replayed, replay.Status);
        Assert.Equal(sale.Reply, replay.Reply);
        Assert.Equal(IdempotencyStatus.KeyReused, (await SendAsync(new SellStock(5, null), key: "sale-before-restart")).Status);
        Assert.Equal(6, (await Grain.GetAsync())!.OnHand);
    }

    [Fact]
    public async Task ExpiredKeyLeavesMemoryAndTableAndIsNewAgain()
    {
        await CreateAsync(onHand: 10);
        await SendAsync(new SellStock(1, null), key: "old-key");

        Cluster.GrainTime.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        await Janitor().PurgeExpiredAsync(CancellationToken.None);
        var recordsLeft = await LedgerRows.ScalarAsync(Cluster.Database,
            "SELECT count(*) FROM idempotency_records WHERE tenant_id = $1 AND key = 'old-key'", Tenant);

        var reused = await SendAsync(new SellStock(2, null), key: "old-key");

        Assert.Equal(0, recordsLeft);
        Assert.Equal(IdempotencyStatus.Fresh, reused.Status);
        Assert.Equal(7, reused.Reply!.Item!.OnHand);
    }

    [Fact]
    public async Task ASagaStepsKeyOutlivesRetentionSoARunAfterItReplays()
    {
        await CreateAsync(onHand: 10);
        var step = SystemKeys.For("pos", Guid.NewGuid().ToString(), "line-1");
        var first = await SendAsync(new SellStock(1, "pos:step"), key: step);

        // Past the longest retention allowed, purged, and out of memory: only the table can answer.
        Cluster.GrainTime.Advance(TimeSpan.FromDays(31));
        await Janitor().PurgeExpiredAsync(CancellationToken.None);
        await ClusterTestActions.DeactivateAsync(Cluster.Client, Grain);
        var again = await SendAsync(new SellStock(1, "pos:step"), key: step);

        Assert.Equal(IdempotencyStatus.Fresh, first.Status);
        Assert.Equal(IdempotencyStatus.Replayed, again.Status);
        Assert.Equal(first.Reply, again.Reply);
        Assert.Equal(9, (await Grain.GetAsync())!.OnHand);
        Assert.Equal(1, await LedgerRows.ScalarAsync(Cluster.Database,
            "SELECT count(*) FROM idempotency_records WHERE tenant_id = $1 AND key = $2 AND expires_at = 'infinity'", Tenant, step));
    }

    // Finished sagas are kept as long as allowed: grain time runs ahead here, and other tests' sagas share the database.
    private ExpiryJanitor Janitor() => new(Cluster.Database, new FurnitureOps.Grains.GrainClock(Cluster.GrainTime),
        Microsoft.Extensions.Options.Options.Create(new FurnitureOps.Silo.Events.EventDeliveryOptions()),
        Microsoft.Extensions.Options.Options.Create(new FurnitureOps.Silo.Sagas.SagaOptions { FinishedRetention = TimeSpan.FromDays(3650) }),
        NullLogger<ExpiryJanitor>.Instance);
}
