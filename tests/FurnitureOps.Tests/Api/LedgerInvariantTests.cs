using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary>
/// The ledger invariant over the whole database, whatever other tests (including the concurrency tests)
/// have written so far: every SKU's chain is unbroken and ends at its state row.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class LedgerInvariantTests(ApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task EveryLedgerChainInTheDatabaseIsUnbroken()
    {
        await CreateSkuAsync(onHand: 30);
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 2 }, $"sale-{i}")));

        var skus = new List<(string Tenant, string Sku)>();
        await using (var command = Fixture.Database.CreateCommand("SELECT tenant_id, sku FROM inventory_items"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                skus.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        Assert.Contains((Tenant, Sku), skus);
        foreach (var (tenant, sku) in skus)
        {
            await LedgerRows.AssertChainIntactAsync(Fixture.Database, tenant, sku);
        }
    }
}
