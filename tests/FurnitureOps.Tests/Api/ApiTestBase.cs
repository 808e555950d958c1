using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary>A fresh tenant and SKU code per test, and a client with every scope for that tenant.</summary>
public abstract class ApiTestBase(ApiFixture api)
{
    protected ApiFixture Fixture { get; } = api;

    protected string Tenant { get; } = $"t-{Guid.NewGuid():N}";

    protected string Sku { get; } = $"SKU-{Guid.NewGuid():N}";

    protected HttpClient Client => field ??= Fixture.Client(Tenant);

    protected async Task CreateSkuAsync(long onHand, HttpClient? client = null)
    {
        var response = await (client ?? Client).PostJsonAsync("/v1/inventory", new { sku = Sku, name = "Oak chair", onHand });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    protected Task<LedgerRows.Counts> CountRowsAsync() => LedgerRows.CountAsync(Fixture.Database, Tenant, Sku);
}
