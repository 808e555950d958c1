using System.Diagnostics;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Storage;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Grains;

/// <summary>
/// Idempotency memory does not grow with retention: an activation reads no records, and a key it does not
/// hold is still answered exactly from the database.
/// </summary>
[Collection(GrainClusterDefinition.Name)]
public sealed class IdempotencyMemoryTests(GrainClusterFixture cluster) : SkuGrainTestBase(cluster)
{
    private const int LiveKeys = 1_000_000;

    [Fact]
    public async Task GrainWithAMillionLiveKeysActivatesQuicklyAndStillAnswersOldKeysExactly()
    {
        await CreateAsync(onHand: 10);
        var now = Cluster.GrainTime.GetUtcNow();
        var stored = SkuReply.Applied(new SkuSnapshot(Sku, "Test item", 9, 1, 2, now.AddHours(-20)));
        var oldest = new SellStock(1, "first-sale");

        // A million live records of this SKU, the oldest 20 hours old, and one that expired an hour ago.
        await LedgerRows.ExecuteAsync(Cluster.Database, $"""
            INSERT INTO idempotency_records (tenant_id, scope, key, fingerprint, reply, created_at, expires_at)
            SELECT '{Tenant}', 'sku:{Sku}', 'key-' || i, 'fingerprint-' || i, '{LedgerJson.Serialize(stored)}'::jsonb,
                   created, created + interval '24 hours'
            FROM generate_series(1, {LiveKeys}) AS i,
                 LATERAL (SELECT '{now.AddHours(-20):O}'::timestamptz + i * interval '1 millisecond') AS at(created);
            UPDATE idempotency_records SET fingerprint = '{oldest}'
            WHERE tenant_id = '{Tenant}' AND scope = 'sku:{Sku}' AND key = 'key-1';
            INSERT INTO idempotency_records (tenant_id, scope, key, fingerprint, reply, created_at, expires_at)
            VALUES ('{Tenant}', 'sku:{Sku}', 'expired-key', '{oldest}', '{LedgerJson.Serialize(stored)}'::jsonb,
                    '{now.AddHours(-25):O}', '{now.AddHours(-1):O}');
            """);
        await ClusterTestActions.DeactivateAsync(Cluster.Client, Grain);

        var activation = Stopwatch.StartNew();
        var item = await Grain.GetAsync();
        activation.Stop();

        Assert.Equal(10, item!.OnHand);
        Assert.True(activation.Elapsed < TimeSpan.FromSeconds(1), $"Activation took {activation.Elapsed.TotalMilliseconds:0} ms.");

        var replay = await SendAsync(oldest, key: "key-1");
        Assert.Equal(IdempotencyStatus.Replayed, replay.Status);
        Assert.Equal(stored, replay.Reply);

        var changed = await SendAsync(new SellStock(2, "first-sale"), key: "key-1");
        Assert.Equal(IdempotencyStatus.KeyReused, changed.Status);

        var renewed = await SendAsync(oldest, key: "expired-key");
        Assert.Equal(IdempotencyStatus.Fresh, renewed.Status);
        Assert.Equal(9, renewed.Reply!.Item!.OnHand);

        Assert.Equal(2, (await CountRowsAsync()).Ledger);
        await LedgerRows.AssertChainIntactAsync(Cluster.Database, Tenant, Sku);
    }

    [Fact]
    public async Task KeyOlderThanMemoryIsReplayedFromTheDatabaseInsteadOfAppliedAgain()
    {
        await CreateAsync(onHand: 10);
        var first = await SendAsync(new SellStock(1, null), key: "early");

        // More fresh keys than one activation keeps in memory push "early" out of it.
        var memory = new FurnitureOps.Grains.Ledger.LedgerOptions().RecentReplies;
        await Task.WhenAll(Enumerable.Range(0, memory + 10).Select(i => SendAsync(new ReceiveStock(1, null), key: $"receipt-{i}")));

        var resent = await SendAsync(new SellStock(1, null), key: "early");

        Assert.Equal(IdempotencyStatus.Replayed, resent.Status);
        Assert.Equal(first.Reply, resent.Reply);
        Assert.Equal(9 + memory + 10, (await Grain.GetAsync())!.OnHand);
        Assert.Equal(1, await LedgerRows.ScalarAsync(Cluster.Database,
            "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2 AND idempotency_key = 'early'", Tenant, Sku));
    }
}
