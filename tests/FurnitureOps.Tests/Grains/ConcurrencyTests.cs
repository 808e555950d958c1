using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Grains;

[Collection(GrainClusterDefinition.Name)]
public sealed class ConcurrencyTests(GrainClusterFixture cluster) : SkuGrainTestBase(cluster)
{
    [Fact]
    public async Task HundredConcurrentSalesOfOneOnStockFiftySellExactlyFifty()
    {
        await CreateAsync(onHand: 50);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => SendAsync(new SellStock(1, $"order-{i}"))));

        Assert.Equal(50, outcomes.Count(o => o.Reply!.Item is not null));
        Assert.Equal(50, outcomes.Count(o => o.Reply!.Rejection?.Code == SkuRejection.InsufficientStock));
        var state = await Grain.GetAsync();
        Assert.Equal((0L, 50L), (state!.OnHand, state.Sold));
        Assert.Equal(51, (await CountRowsAsync()).Ledger);
        await LedgerRows.AssertChainIntactAsync(Cluster.Database, Tenant, Sku);
    }

    [Fact]
    public async Task FiftyConcurrentReceiptsCommitInFewerTransactions()
    {
        await CreateAsync(onHand: 0);

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 50).Select(i => SendAsync(new ReceiveStock(i, null))));

        Assert.All(outcomes, o => Assert.NotNull(o.Reply!.Item));
        Assert.Equal(50 * 51 / 2, (await Grain.GetAsync())!.OnHand);
        var receiptTransactions = await LedgerRows.TransactionCountAsync(Cluster.Database, Tenant, Sku) - 1;
        Assert.InRange(receiptTransactions, 1, 49);
        await LedgerRows.AssertChainIntactAsync(Cluster.Database, Tenant, Sku);
    }

    [Fact]
    public async Task ConcurrentCopiesOfOneRequestHaveOneEffectAndOneAnswer()
    {
        await CreateAsync(onHand: 100);
        var sale = new SellStock(7, "order-dup");

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 75).Select(_ => SendAsync(sale, key: "same-key")));

        Assert.Single(outcomes.Select(o => o.Reply).Distinct());
        Assert.Single(outcomes, o => o.Status == IdempotencyStatus.Fresh);
        Assert.Equal(93, (await Grain.GetAsync())!.OnHand);
        Assert.Equal(2, (await CountRowsAsync()).Ledger);
        await LedgerRows.AssertChainIntactAsync(Cluster.Database, Tenant, Sku);
    }
}
