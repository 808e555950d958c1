using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

[Collection(ApiDefinition.Name)]
public sealed class IdempotencyApiTests(ApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task ReplayAnswersTheStoredStatusAndBodyWithReplayedHeader()
    {
        await CreateSkuAsync(onHand: 10);
        var first = await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 2 }, "sale-1");
        await Client.PostJsonAsync($"/v1/inventory/{Sku}/receipts", new { quantity = 5 });

        var replay = await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 2 }, "sale-1");

        Assert.Equal(first.StatusCode, replay.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(13, (await (await Client.GetAsync($"/v1/inventory/{Sku}")).JsonAsync()).GetProperty("onHand").GetInt64());
    }

    [Fact]
    public async Task ReplayOfARejectionAnswersTheSameProblem()
    {
        await CreateSkuAsync(onHand: 1);
        var first = await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 5 }, "too-many");
        await Client.PostJsonAsync($"/v1/inventory/{Sku}/receipts", new { quantity = 10 });

        var replay = await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 5 }, "too-many");

        await replay.AssertProblemAsync(409, "insufficient_stock");
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SameKeyWithDifferentBodyIs409AndWritesNothing()
    {
        await CreateSkuAsync(onHand: 10);
        await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 2 }, "sale-1");
        var before = await CountRowsAsync();

        var response = await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 3 }, "sale-1");

        await response.AssertProblemAsync(409, "idempotency_key_reused");
        Assert.Equal(before, await CountRowsAsync());
    }

    [Fact]
    public async Task SameKeyOnAnotherRouteOfTheSameSkuIs409()
    {
        await CreateSkuAsync(onHand: 10);
        await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 2 }, "shared-key");

        var response = await Client.PostJsonAsync($"/v1/inventory/{Sku}/returns", new { quantity = 2 }, "shared-key");

        await response.AssertProblemAsync(409, "idempotency_key_reused");
    }

    [Fact]
    public async Task ValidationErrorsAreNotStoredUnderTheKey()
    {
        await CreateSkuAsync(onHand: 10);
        var invalid = await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 0 }, "fix-and-retry");

        var valid = await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 1 }, "fix-and-retry");

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.False(valid.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task SeventyFiveParallelIdenticalRequestsHaveOneEffectAndEqualResponses()
    {
        await CreateSkuAsync(onHand: 100);

        var responses = await Task.WhenAll(Enumerable.Range(0, 75).Select(_ =>
            Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 3, orderRef = "o-75" }, "parallel-key")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var bodies = await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()));
        Assert.Single(bodies.Distinct());
        Assert.Equal(74, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        Assert.Equal(97, (await (await Client.GetAsync($"/v1/inventory/{Sku}")).JsonAsync()).GetProperty("onHand").GetInt64());
        Assert.Equal(2, (await CountRowsAsync()).Ledger);
        await LedgerRows.AssertChainIntactAsync(Fixture.Database, Tenant, Sku);
    }

    [Fact]
    public async Task ParallelSalesNeverOversellThroughTheApi()
    {
        await CreateSkuAsync(onHand: 20);

        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 1 }, $"sale-{i}")));

        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(20, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        await LedgerRows.AssertChainIntactAsync(Fixture.Database, Tenant, Sku);
    }
}
