using System.Text.Json;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

[Collection(ApiDefinition.Name)]
public sealed class RequestIdTests(ApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task RequestIdIsEchoedAndWrittenToLedgerAndAudit()
    {
        await CreateSkuAsync(onHand: 10);
        var requestId = $"trace.{Guid.NewGuid():N}";
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/inventory/{Sku}/sales")
        {
            Content = JsonContent(new { quantity = 1 }),
        };
        request.Headers.Add("Idempotency-Key", "rid-1");
        request.Headers.Add("X-Request-ID", requestId);

        var response = await Client.SendAsync(request);

        Assert.Equal(requestId, response.Headers.GetValues("X-Request-ID").Single());
        var ledger = await (await Client.GetAsync($"/v1/inventory/{Sku}/ledger?afterVersion=1")).JsonAsync();
        Assert.Equal(requestId, ledger.GetProperty("entries")[0].GetProperty("requestId").GetString());
        var audit = await (await Client.GetAsync($"/v1/audit?entityType=sku&entityId={Sku}")).JsonAsync();
        Assert.Equal(requestId, audit.GetProperty("entries")[1].GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task SiloLogLinesCarryTheRequestIdTenantAndGrain()
    {
        await CreateSkuAsync(onHand: 10);
        var requestId = $"logged.{Guid.NewGuid():N}";
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/inventory/{Sku}/sales") { Content = JsonContent(new { quantity = 1 }) };
        request.Headers.Add("Idempotency-Key", "log-1");
        request.Headers.Add("X-Request-ID", requestId);

        HttpResponseMessage response;
        await using (await InjectedWriteFailure.ForSkuLedgerAsync(Fixture.Database, Sku))
        {
            response = await Client.SendAsync(request);
        }

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var commitFailure = Assert.Single(Fixture.SiloLogs.Entries, entry =>
            entry.Message.StartsWith("Commit of", StringComparison.Ordinal) && Equals(entry.Scope.GetValueOrDefault("RequestId"), requestId));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, commitFailure.Level);
        Assert.Equal(Tenant, commitFailure.Scope.GetValueOrDefault("Tenant"));
        Assert.Contains(Sku, commitFailure.Scope.GetValueOrDefault("GrainId")?.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has spaces")]
    [InlineData("")]
    public async Task InvalidRequestIdIsReplacedWithAGeneratedOne(string offered)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/inventory/{Sku}");
        request.Headers.TryAddWithoutValidation("X-Request-ID", offered);

        var response = await Client.SendAsync(request);

        var echoed = response.Headers.GetValues("X-Request-ID").Single();
        Assert.NotEqual(offered, echoed);
        Assert.Matches("^[a-f0-9]{32}$", echoed);
    }

    [Fact]
    public async Task ErrorsCarryTheRequestIdToo()
    {
        var response = await Fixture.AnonymousClient().GetAsync($"/v1/inventory/{Sku}");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Single(response.Headers.GetValues("X-Request-ID"));
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}
