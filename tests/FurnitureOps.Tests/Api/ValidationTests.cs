using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary>Bad input gets a clear 4xx problem and writes nothing.</summary>
[Collection(ApiDefinition.Name)]
public sealed class ValidationTests(ApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task MissingIdempotencyKeyIs400()
    {
        await CreateSkuAsync(onHand: 5);
        var before = await CountRowsAsync();

        var response = await Client.SendJsonAsync(HttpMethod.Post, $"/v1/inventory/{Sku}/sales", new { quantity = 1 }, idempotencyKey: null);

        await response.AssertProblemAsync(400, "idempotency_key_missing");
        Assert.Equal(before, await CountRowsAsync());
    }

    [Theory]
    [InlineData(256)]
    [InlineData(-1)]
    public async Task MalformedIdempotencyKeyIs400(int length)
    {
        await CreateSkuAsync(onHand: 5);
        var key = length > 0 ? new string('k', length) : "tab\there";

        var response = await Client.SendJsonAsync(HttpMethod.Post, $"/v1/inventory/{Sku}/sales", new { quantity = 1 }, key);

        await response.AssertProblemAsync(400, "idempotency_key_invalid");
    }

    [Theory]
    [InlineData("""{"quantity": 0}""", "quantity")]
    [InlineData("""{"quantity": 1000001}""", "quantity")]
    [InlineData("""{}""", "quantity")]
    [InlineData("""{"quantity": "5"}""", "quantity")]
    [InlineData("""{"quantity": 1.5}""", "quantity")]
    [InlineData("""{"quantity": 1, "unexpected": true}""", "unexpected")]
    public async Task OutOfRangeOrMalformedFieldsAre400WithPerFieldErrors(string body, string field)
    {
        await CreateSkuAsync(onHand: 5);
        var before = await CountRowsAsync();

        var response = await Client.SendRawAsync(HttpMethod.Post, $"/v1/inventory/{Sku}/sales", body, "key-1");

        var problem = await response.AssertProblemAsync(400, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task MalformedJsonIs400()
    {
        await CreateSkuAsync(onHand: 5);

        var response = await Client.SendRawAsync(HttpMethod.Post, $"/v1/inventory/{Sku}/receipts", """{"quantity": """, "key-1");

        await response.AssertProblemAsync(400, "validation_failed");
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    public async Task InvalidSkuOnCreateIs400(string sku)
    {
        var response = await Client.PostJsonAsync("/v1/inventory", new { sku, name = "x", onHand = 1 });

        var problem = await response.AssertProblemAsync(400, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("sku", out _));
    }

    [Fact]
    public async Task TooLongSkuInTheRouteIs400()
    {
        var response = await Client.PostJsonAsync($"/v1/inventory/{new string('A', 65)}/receipts", new { quantity = 1 });

        await response.AssertProblemAsync(400, "validation_failed");
    }

    [Fact]
    public async Task BodyOver64KilobytesIs413()
    {
        await CreateSkuAsync(onHand: 5);
        var before = await CountRowsAsync();

        var response = await Client.PostJsonAsync($"/v1/inventory/{Sku}/receipts", new { quantity = 1, reference = new string('r', 70_000) });

        await response.AssertProblemAsync(413, "payload_too_large");
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task LedgerPagingOutOfRangeIs400()
    {
        await CreateSkuAsync(onHand: 5);

        var response = await Client.GetAsync($"/v1/inventory/{Sku}/ledger?limit=0&afterVersion=-1");

        var problem = await response.AssertProblemAsync(400, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("afterVersion", out _));
    }
}
