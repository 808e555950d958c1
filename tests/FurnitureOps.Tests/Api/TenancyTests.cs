using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

[Collection(ApiDefinition.Name)]
public sealed class TenancyTests(ApiFixture api) : ApiTestBase(api)
{
    private HttpClient OtherTenant => field ??= Fixture.Client($"other-{Guid.NewGuid():N}");

    [Fact]
    public async Task SameSkuCodeInTwoTenantsIsTwoSkus()
    {
        await CreateSkuAsync(onHand: 10);
        await CreateSkuAsync(onHand: 3, OtherTenant);

        await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 4 });

        Assert.Equal(6, (await (await Client.GetAsync($"/v1/inventory/{Sku}")).JsonAsync()).GetProperty("onHand").GetInt64());
        Assert.Equal(3, (await (await OtherTenant.GetAsync($"/v1/inventory/{Sku}")).JsonAsync()).GetProperty("onHand").GetInt64());
    }

    [Fact]
    public async Task AnotherTenantNeverSeesOrChangesTheData()
    {
        await CreateSkuAsync(onHand: 10);

        var get = await OtherTenant.GetAsync($"/v1/inventory/{Sku}");
        var ledger = await OtherTenant.GetAsync($"/v1/inventory/{Sku}/ledger");
        var sale = await OtherTenant.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 1 });
        var audit = await (await OtherTenant.GetAsync($"/v1/audit?entityType=sku&entityId={Sku}")).JsonAsync();

        await get.AssertProblemAsync(404, "sku_not_found");
        await ledger.AssertProblemAsync(404, "sku_not_found");
        await sale.AssertProblemAsync(404, "sku_not_found");
        Assert.Empty(audit.GetProperty("entries").EnumerateArray());
        Assert.Equal(10, (await (await Client.GetAsync($"/v1/inventory/{Sku}")).JsonAsync()).GetProperty("onHand").GetInt64());
    }

    [Fact]
    public async Task SameIdempotencyKeyInTwoTenantsIsTwoRequests()
    {
        await CreateSkuAsync(onHand: 10);
        await CreateSkuAsync(onHand: 10, OtherTenant);

        var mine = await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 1 }, "shared");
        var theirs = await OtherTenant.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 2 }, "shared");

        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
    }
}
