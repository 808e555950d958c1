using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Commit;

/// <summary>
/// The flushes of many grains commit together: fewer transactions than flushes, every state exact. On the
/// default pipeline (one lane) and on two lanes, where each grain must keep to its lane.
/// </summary>
public abstract class GroupCommitTests(GrainClusterFixture cluster)
{
    private readonly string _tenant = $"t-{Guid.NewGuid():N}";

    [Fact]
    public async Task ConcurrentCommandsOnTwoHundredGrainsShareTransactionsAndEveryChainIsExact()
    {
        var skus = Enumerable.Range(0, 200).Select(i => $"GROUP-{i}-{Guid.NewGuid():N}").ToList();
        await Task.WhenAll(skus.Select(sku => Send(sku, new CreateSku("item", 100), $"create-{sku}")));

        // Every caller at once: 5 sales and a receipt per SKU, 1,200 commands over 200 grains.
        var outcomes = await Task.WhenAll(skus.SelectMany(sku => Enumerable.Range(0, 6).Select(i =>
            Send(sku, i == 0 ? new ReceiveStock(3, null) : new SellStock(2, null), $"{sku}-{i}"))));

        Assert.All(outcomes, outcome => Assert.Equal(IdempotencyStatus.Fresh, outcome.Status));
        var flushes = await LedgerRows.ScalarAsync(cluster.Database,
            "SELECT count(DISTINCT (sku, xmin::text)) FROM inventory_ledger WHERE tenant_id = $1 AND operation <> 'create'", _tenant);
        var transactions = await LedgerRows.ScalarAsync(cluster.Database,
            "SELECT count(DISTINCT xmin::text) FROM inventory_ledger WHERE tenant_id = $1 AND operation <> 'create'", _tenant);
        Assert.True(transactions * 4 <= flushes, $"{transactions} transactions for {flushes} grain flushes.");
        foreach (var sku in skus)
        {
            var item = await cluster.Client.GetGrain<ISkuGrain>(TenantKey.Format(_tenant, sku)).GetAsync();
            Assert.Equal((93L, 10L, 7L), (item!.OnHand, item.Sold, item.Version));
            await LedgerRows.AssertChainIntactAsync(cluster.Database, _tenant, sku);
        }
    }

    private Task<CommandOutcome<SkuReply>> Send(string sku, SkuCommand command, string key) =>
        cluster.Client.GetGrain<ISkuGrain>(TenantKey.Format(_tenant, sku))
            .ExecuteAsync(command, new CommandContext(key, command.ToString(), "tester", $"req-{key}"));
}

[Collection(GrainClusterDefinition.Name)]
public sealed class OneLaneGroupCommitTests(GrainClusterFixture cluster) : GroupCommitTests(cluster);

[Collection(TwoLaneClusterDefinition.Name)]
public sealed class TwoLaneGroupCommitTests(TwoLaneClusterFixture cluster) : GroupCommitTests(cluster);
