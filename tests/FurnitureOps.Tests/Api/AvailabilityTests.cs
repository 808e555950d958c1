using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary>Infrastructure failure answers 503 with Retry-After and loses nothing.</summary>
[Collection(ApiDefinition.Name)]
public sealed class AvailabilityTests(ApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task ApiWithoutAnySiloListensAndAnswers503ClusterUnavailable()
    {
        await using var lonelyApi = Fixture.CreateApi($"no-silos-{Guid.NewGuid():N}");
        var client = lonelyApi.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Fixture.Token(Tenant, []));

        var live = await client.GetAsync("/livez");
        var ready = await client.GetAsync("/health/ready");
        var call = await client.GetAsync($"/v1/inventory/{Sku}");

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        await call.AssertProblemAsync(503, "cluster_unavailable");
        Assert.NotNull(call.Headers.RetryAfter);
    }

    [Fact]
    public async Task StorageFailureIs503WithRetryAfterAndTheSameKeyThenSucceeds()
    {
        await CreateSkuAsync(onHand: 10);
        HttpResponseMessage failed;
        await using (await InjectedWriteFailure.ForSkuLedgerAsync(Fixture.Database, Sku))
        {
            failed = await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 4 }, "during-outage");
        }

        var retried = await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 4 }, "during-outage");

        await failed.AssertProblemAsync(503, "storage_unavailable");
        Assert.NotNull(failed.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(6, (await retried.JsonAsync()).GetProperty("onHand").GetInt64());
        Assert.Equal(2, (await CountRowsAsync()).Ledger);
    }
}
