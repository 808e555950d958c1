using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Commit;

/// <summary>
/// Grain writes that share one transaction of the commit pipeline: a version conflict or a database failure
/// in it, and what each grain and its callers see.
/// </summary>
[Collection(OneLaneClusterDefinition.Name)]
public sealed class SharedTransactionTests(OneLaneClusterFixture cluster)
{
    private readonly string _tenant = $"t-{Guid.NewGuid():N}";

    [Fact]
    public async Task VersionConflictRetiresOnlyThatGrainAndTheOthersCommitOnceInOneTransaction()
    {
        var blocker = await CreateAsync("BLOCK");
        var conflicted = await CreateAsync("CONFLICT");
        var others = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => CreateAsync($"OK-{i}")));

        // Another writer (what a duplicate activation would do) moves the SKU to version 2 behind the grain.
        await LedgerRows.ExecuteAsync(cluster.Database, $"""
            INSERT INTO inventory_ledger (tenant_id, sku, version, operation, quantity, on_hand_before, on_hand_after,
                sold_before, sold_after, actor, request_id, idempotency_key, recorded_at)
            VALUES ('{_tenant}', '{conflicted}', 2, 'receive', 5, 10, 15, 0, 0, 'other-writer', 'req-other', 'other', now());
            UPDATE inventory_items SET on_hand = 15, version = 2 WHERE tenant_id = '{_tenant}' AND sku = '{conflicted}';
            """);

        Task<CommandOutcome<SkuReply>> conflictedSale;
        List<Task<CommandOutcome<SkuReply>>> sales;
        await using (await cluster.HoldLaneAsync(_tenant, blocker, () => SellAsync(blocker, "blocker-sale")))
        {
            conflictedSale = SellAsync(conflicted, "conflicted-sale");
            sales = [.. others.Select(sku => SellAsync(sku, $"sale-{sku}"))];
            await cluster.UntilQueuedAsync(others.Length + 1);
        }

        await Assert.ThrowsAsync<StorageUnavailableException>(() => conflictedSale);
        foreach (var outcome in await Task.WhenAll(sales))
        {
            Assert.Equal(9, outcome.Reply!.Item!.OnHand);
        }

        var transactions = await LedgerRows.ScalarAsync(cluster.Database,
            "SELECT count(DISTINCT xmin::text) FROM inventory_ledger WHERE tenant_id = $1 AND idempotency_key LIKE 'sale-OK-%'", _tenant);
        Assert.Equal(1, transactions);
        Assert.Equal(0, await RowsOfKeyAsync("conflicted-sale"));

        // The resend reaches a new activation, which loads the row the other writer left, and applies once.
        var resent = await SellAsync(conflicted, "conflicted-sale");
        var again = await SellAsync(conflicted, "conflicted-sale");
        Assert.Equal((14L, 3L), (resent.Reply!.Item!.OnHand, resent.Reply.Item.Version));
        Assert.Equal(IdempotencyStatus.Replayed, again.Status);
        Assert.Equal(1, await RowsOfKeyAsync("conflicted-sale"));
        await LedgerRows.AssertChainIntactAsync(cluster.Database, _tenant, conflicted);
        foreach (var sku in others)
        {
            Assert.Equal(1, await RowsOfKeyAsync($"sale-{sku}"));
            await LedgerRows.AssertChainIntactAsync(cluster.Database, _tenant, sku);
        }
    }

    [Fact]
    public async Task DatabaseFailureFailsEveryGrainOfTheTransactionWithNothingAppliedAndResendsApplyOnce()
    {
        var blocker = await CreateAsync("BLOCK");
        var skus = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => CreateAsync($"FAIL-{i}")));

        List<Task<CommandOutcome<SkuReply>>> sales;
        await using (var failure = await InjectedWriteFailure.ForSkuLedgerAsync(cluster.Database, skus[7]))
        {
            await using (await cluster.HoldLaneAsync(_tenant, blocker, () => SellAsync(blocker, "blocker-sale")))
            {
                sales = [.. skus.Select(sku => SellAsync(sku, $"sale-{sku}"))];
                await cluster.UntilQueuedAsync(skus.Length);
            }

            foreach (var sale in sales)
            {
                await Assert.ThrowsAsync<StorageUnavailableException>(() => sale);
            }

            foreach (var sku in skus)
            {
                Assert.Equal(0, await RowsOfKeyAsync($"sale-{sku}"));
                Assert.Equal(10, (await Grain(sku).GetAsync())!.OnHand);
            }
        }

        foreach (var sku in skus)
        {
            Assert.Equal(9, (await SellAsync(sku, $"sale-{sku}")).Reply!.Item!.OnHand);
            Assert.Equal(IdempotencyStatus.Replayed, (await SellAsync(sku, $"sale-{sku}")).Status);
            Assert.Equal(1, await RowsOfKeyAsync($"sale-{sku}"));
            await LedgerRows.AssertChainIntactAsync(cluster.Database, _tenant, sku);
        }
    }

    private ISkuGrain Grain(string sku) => cluster.Client.GetGrain<ISkuGrain>(TenantKey.Format(_tenant, sku));

    private async Task<string> CreateAsync(string prefix)
    {
        var sku = $"{prefix}-{Guid.NewGuid():N}";
        var created = await Send(sku, new CreateSku("item", 10), $"create-{sku}");
        Assert.NotNull(created.Reply?.Item);
        return sku;
    }

    private Task<CommandOutcome<SkuReply>> SellAsync(string sku, string key) => Send(sku, new SellStock(1, null), key);

    private Task<CommandOutcome<SkuReply>> Send(string sku, SkuCommand command, string key) =>
        Grain(sku).ExecuteAsync(command, new CommandContext(key, command.ToString(), "tester", $"req-{key}"));

    private Task<long> RowsOfKeyAsync(string key) => LedgerRows.ScalarAsync(cluster.Database,
        "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND idempotency_key = $2", _tenant, key);
}
