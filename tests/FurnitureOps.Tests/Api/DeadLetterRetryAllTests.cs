using System.Net;
using FurnitureOps.Api.Auth;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary><c>POST /v1/admin/dead-letters/retry</c>: every dead delivery of one subscriber back in line, and no other.</summary>
[Collection(ApiDefinition.Name)]
public sealed class DeadLetterRetryAllTests(ApiFixture api) : ApiTestBase(api)
{
    private const string Secret = "0123456789abcdef0123456789abcdef-secret";

    [Fact]
    public async Task RetryingASubscriberRetriesExactlyItsDeadDeliveries()
    {
        var healed = new TaskCompletionSource();
        await using var failing = await WebhookReceiver.StartAsync(_ => Task.FromResult(healed.Task.IsCompleted ? 204 : 503));
        await using var other = await WebhookReceiver.StartAsync(_ => Task.FromResult(503));
        var first = await RegisterWebhookAsync(failing.Url, ["inventory.created.v1", "inventory.sold.v1"]);
        var second = await RegisterWebhookAsync(other.Url, ["inventory.created.v1"]);
        await CreateSkuAsync(onHand: 10);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 1 })).StatusCode);
        await Poll.UntilAsync(async () => await DeliveriesAsync(first, "dead") == 2 && await DeliveriesAsync(second, "dead") == 1,
            "both subscribers' deliveries are dead-lettered");
        var listed = (await (await Client.GetAsync("/v1/admin/dead-letters")).JsonAsync()).GetProperty("deadLetters").EnumerateArray()
            .Select(letter => letter.GetProperty("subscriber").GetString()).ToList();
        Assert.Equal(2, listed.Count(subscriber => subscriber == first));
        healed.SetResult();

        var retried = await Client.PostJsonAsync("/v1/admin/dead-letters/retry", new { subscriber = first });

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(2, (await retried.JsonAsync()).GetProperty("retried").GetInt32());
        await Poll.UntilAsync(async () => await DeliveriesAsync(first, "delivered") == 2, "the retried deliveries are delivered");
        Assert.Equal(1, await DeliveriesAsync(second, "dead"));
        Assert.Equal(0, await RetriedAsync(Client, first)); // nothing of it is dead any more
    }

    [Fact]
    public async Task AnotherTenantRetriesNothingOfThisTenant()
    {
        await using var failing = await WebhookReceiver.StartAsync(_ => Task.FromResult(503));
        var subscriber = await RegisterWebhookAsync(failing.Url, ["inventory.created.v1"]);
        await CreateSkuAsync(onHand: 1);
        await Poll.UntilAsync(async () => await DeliveriesAsync(subscriber, "dead") == 1, "the delivery is dead-lettered");

        Assert.Equal(0, await RetriedAsync(Fixture.Client($"t-{Guid.NewGuid():N}"), subscriber));
        Assert.Equal(0, await RetriedAsync(Client, "consumer:no-such-consumer"));
        Assert.Equal(1, await DeliveriesAsync(subscriber, "dead"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("""{"subscriber": ""}""")]
    [InlineData("""{"subscriber": "nobody"}""")]
    [InlineData("""{"subscriber": "webhook:has spaces"}""")]
    [InlineData("""{"subscriber": 7}""")]
    [InlineData("""{"subscriber": "consumer:low-stock", "all": true}""")]
    public async Task AMissingOrInvalidSubscriberIs400(string body)
    {
        var response = await Client.SendRawAsync(HttpMethod.Post, "/v1/admin/dead-letters/retry", body, idempotencyKey: null);

        await response.AssertProblemAsync(400, "validation_failed");
    }

    [Fact]
    public async Task RetryingAllNeedsWebhooksAdmin()
    {
        var reader = Fixture.Client(Tenant, Scopes.EventsRead);

        var response = await reader.PostJsonAsync("/v1/admin/dead-letters/retry", new { subscriber = "consumer:low-stock" });

        await response.AssertProblemAsync(403, "forbidden");
    }

    private async Task<string> RegisterWebhookAsync(string url, string[] eventTypes)
    {
        var response = await Client.PostJsonAsync("/v1/webhooks", new { url, eventTypes, secret = Secret });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return $"webhook:{(await response.JsonAsync()).GetProperty("id").GetString()}";
    }

    private static async Task<int> RetriedAsync(HttpClient client, string subscriber)
    {
        var response = await client.PostJsonAsync("/v1/admin/dead-letters/retry", new { subscriber });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("retried").GetInt32();
    }

    private Task<long> DeliveriesAsync(string subscriber, string status) => LedgerRows.ScalarAsync(Fixture.Database,
        "SELECT count(*) FROM event_deliveries d JOIN outbox o ON o.id = d.outbox_id WHERE o.tenant_id = $1 AND d.subscriber = $2 AND d.status = $3",
        Tenant, subscriber, status);
}
