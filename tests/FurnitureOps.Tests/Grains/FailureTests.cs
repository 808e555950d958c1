using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Grains;

[Collection(GrainClusterDefinition.Name)]
public sealed class FailureTests(GrainClusterFixture cluster) : SkuGrainTestBase(cluster)
{
    [Fact]
    public async Task FailedTransactionAppliesNothingAndTheSameKeyThenSucceedsOnce()
    {
        await CreateAsync(onHand: 10);
        var before = await Grain.GetAsync();
        var rowsBefore = await CountRowsAsync();
        StorageUnavailableException failure;
        await using (await InjectedWriteFailure.ForSkuLedgerAsync(Cluster.Database, Sku))
        {
            failure = await Assert.ThrowsAsync<StorageUnavailableException>(() => SendAsync(new SellStock(3, null), key: "retry-me"));
        }

        Assert.NotNull(failure);
        Assert.Equal(rowsBefore, await CountRowsAsync());
        Assert.Equal(before, await Grain.GetAsync());

        var resent = await SendAsync(new SellStock(3, null), key: "retry-me");
        var again = await SendAsync(new SellStock(3, null), key: "retry-me");

        Assert.Equal(IdempotencyStatus.Fresh, resent.Status);
        Assert.Equal(IdempotencyStatus.Replayed, again.Status);
        Assert.Equal(7, (await Grain.GetAsync())!.OnHand);
        Assert.Equal(rowsBefore.Ledger + 1, (await CountRowsAsync()).Ledger);
        await LedgerRows.AssertChainIntactAsync(Cluster.Database, Tenant, Sku);
    }

    [Fact]
    public async Task WriteBehindTheGrainsBackIsDetectedAndNeverDoubleApplied()
    {
        await CreateAsync(onHand: 10);

        // Another writer (a duplicate activation, an operator) moves the SKU to version 2 behind the grain.
        await LedgerRows.ExecuteAsync(Cluster.Database, $"""
            INSERT INTO inventory_ledger (tenant_id, sku, version, operation, quantity, on_hand_before, on_hand_after,
                sold_before, sold_after, actor, request_id, idempotency_key, recorded_at)
            VALUES ('{Tenant}', '{Sku}', 2, 'receive', 100, 10, 110, 0, 0, 'other-writer', 'req-other', 'other', now());
            UPDATE inventory_items SET on_hand = 110, version = 2 WHERE tenant_id = '{Tenant}' AND sku = '{Sku}';
            """);

        await Assert.ThrowsAsync<StorageUnavailableException>(() => SendAsync(new SellStock(5, null), key: "after-conflict"));
        var retried = await SendAsync(new SellStock(5, null), key: "after-conflict");

        Assert.Equal(IdempotencyStatus.Fresh, retried.Status);
        Assert.Equal((105L, 5L, 3L), (retried.Reply!.Item!.OnHand, retried.Reply.Item.Sold, retried.Reply.Item.Version));
        Assert.Equal(1, await LedgerRows.ScalarAsync(Cluster.Database,
            "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2 AND idempotency_key = 'after-conflict'", Tenant, Sku));
        await LedgerRows.AssertChainIntactAsync(Cluster.Database, Tenant, Sku);
    }
}
