using System.Net;
using System.Text;
using System.Text.Json;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary><c>GET /v1/audit</c> filters: by the request that caused the rows, by entity id with or without its type, combined.</summary>
[Collection(ApiDefinition.Name)]
public sealed class AuditQueryTests(ApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task ARequestIdFindsOnlyTheRowsOfThatRequest()
    {
        var (creation, sale) = ($"create.{Guid.NewGuid():N}", $"sale.{Guid.NewGuid():N}");
        await SendAsync($"/v1/inventory", new { sku = Sku, name = "Oak chair", onHand = 10 }, creation, HttpStatusCode.Created);
        await SendAsync($"/v1/inventory/{Sku}/sales", new { quantity = 2 }, sale, HttpStatusCode.OK);

        var bySale = await EntriesAsync($"?requestId={sale}");
        var byCreation = await EntriesAsync($"?requestId={creation}");
        var combined = await EntriesAsync($"?requestId={sale}&entityType=sku&entityId={Sku}");
        var elsewhere = await EntriesAsync($"?requestId={sale}&entityId=SKU-{Guid.NewGuid():N}");

        var sold = Assert.Single(bySale);
        Assert.Equal(("inventory.sold", sale, Sku), (sold.GetProperty("action").GetString(), sold.GetProperty("requestId").GetString(),
            sold.GetProperty("entityId").GetString()));
        Assert.Equal(["inventory.created"], byCreation.Select(row => row.GetProperty("action").GetString()));
        Assert.Equal([sold.GetProperty("id").GetInt64()], combined.Select(row => row.GetProperty("id").GetInt64()));
        Assert.Empty(elsewhere);
        Assert.Empty(await EntriesAsync($"?requestId={sale}", Fixture.Client($"t-{Guid.NewGuid():N}"))); // the tenant's rows only
    }

    [Fact]
    public async Task AnEntityIdWithoutItsTypeFindsItUnderEveryType()
    {
        await CreateSkuAsync(onHand: 5);
        var accrued = await Client.PostJsonAsync($"/v1/players/{Sku}/loyalty/accruals", new { points = 10, sourceType = "visit", sourceId = "v-1" });
        Assert.Equal(HttpStatusCode.OK, accrued.StatusCode); // a player whose id is the SKU's code

        var anyType = await EntriesAsync($"?entityId={Sku}");
        var skuOnly = await EntriesAsync($"?entityType=sku&entityId={Sku}");
        var firstOnly = await (await Client.GetAsync($"/v1/audit?entityId={Sku}&limit=1")).JsonAsync();

        Assert.Equal(["sku", "player"], anyType.Select(row => row.GetProperty("entityType").GetString()));
        Assert.All(anyType, row => Assert.Equal(Sku, row.GetProperty("entityId").GetString()));
        Assert.Equal(["sku"], skuOnly.Select(row => row.GetProperty("entityType").GetString()));
        Assert.Equal(anyType[0].GetProperty("id").GetInt64(), firstOnly.GetProperty("nextAfterId").GetInt64());
        Assert.Equal(["player"], (await EntriesAsync($"?entityId={Sku}&afterId={anyType[0].GetProperty("id").GetInt64()}"))
            .Select(row => row.GetProperty("entityType").GetString()));
    }

    [Fact]
    public async Task ARequestIdLongerThan128CharactersIs400()
    {
        var response = await Client.GetAsync($"/v1/audit?requestId={new string('r', 129)}");

        var problem = await response.AssertProblemAsync(400, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("requestId", out _));
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/v1/audit?requestId={new string('r', 128)}")).StatusCode);
    }

    private async Task SendAsync(string url, object body, string requestId, HttpStatusCode expected)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        request.Headers.Add("X-Request-ID", requestId);

        var response = await Client.SendAsync(request);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(requestId, response.Headers.GetValues("X-Request-ID").Single());
    }

    private async Task<List<JsonElement>> EntriesAsync(string query, HttpClient? client = null)
    {
        var response = await (client ?? Client).GetAsync($"/v1/audit{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("entries").EnumerateArray().ToList();
    }
}
