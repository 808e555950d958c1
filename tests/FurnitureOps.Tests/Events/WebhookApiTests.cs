using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Events;

/// <summary>Webhook subscriptions over HTTP: idempotent registration, listing without secrets, deletion, validation.</summary>
[Collection(ApiDefinition.Name)]
public sealed class WebhookApiTests(ApiFixture api)
{
    private const string Secret = "0123456789abcdef0123456789abcdef-secret";

    private readonly HttpClient _client = api.Client($"t-{Guid.NewGuid():N}");

    [Fact]
    public async Task RegistrationIsIdempotentAndTheSecretIsNeverShown()
    {
        var body = new { url = "http://127.0.0.1:9/hook", eventTypes = new[] { "inventory.*", "pos.event_applied.v1" }, secret = Secret };

        var first = await _client.PostJsonAsync("/v1/webhooks", body, "hook-1");
        var retry = await _client.PostJsonAsync("/v1/webhooks", body, "hook-1");
        var reused = await _client.PostJsonAsync("/v1/webhooks", body with { url = "http://127.0.0.1:9/other" }, "hook-1");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, retry.StatusCode));
        var created = await first.JsonAsync();
        Assert.Equal(created.GetProperty("id").GetString(), (await retry.JsonAsync()).GetProperty("id").GetString());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        await reused.AssertProblemAsync(409, "idempotency_key_reused");
        Assert.DoesNotContain(Secret, await first.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var listed = await (await _client.GetAsync("/v1/webhooks")).Content.ReadAsStringAsync();
        Assert.Contains(created.GetProperty("id").GetString()!, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, listed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingStopsTheSubscriptionAndASecondDeleteIs404()
    {
        var created = await (await _client.PostJsonAsync("/v1/webhooks", new { url = "http://127.0.0.1:9/hook", secret = Secret })).JsonAsync();
        var id = created.GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"/v1/webhooks/{id}")).StatusCode);
        await (await _client.DeleteAsync($"/v1/webhooks/{id}")).AssertProblemAsync(404, "not_found");
        Assert.DoesNotContain(id!, await (await _client.GetAsync("/v1/webhooks")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/hook", "inventory.*", Secret, "url")]
    [InlineData("http://user:pass@127.0.0.1/hook", "inventory.*", Secret, "url")]
    [InlineData("not a url", "inventory.*", Secret, "url")]
    [InlineData("http://127.0.0.1/hook", "inventory.sold", Secret, "eventTypes")]
    [InlineData("http://127.0.0.1/hook", "Inventory.Sold.v1", Secret, "eventTypes")]
    [InlineData("http://127.0.0.1/hook", "inventory.*", "too-short", "Secret")]
    public async Task BadRegistrationsAre400AndCreateNothing(string url, string eventType, string secret, string field)
    {
        var response = await _client.PostJsonAsync("/v1/webhooks", new { url, eventTypes = new[] { eventType }, secret });

        var problem = await response.AssertProblemAsync(400, "validation_failed");
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(), error => error.Name.Equals(field, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("[]", (await (await _client.GetAsync("/v1/webhooks")).JsonAsync()).GetProperty("webhooks").GetRawText());
    }

    [Fact]
    public async Task HttpUrlsAreRefusedOutsideDevelopmentUnlessAllowed()
    {
        await using var production = api.CreateApi(api.ClusterId, new Dictionary<string, string?> { ["Webhooks:AllowInsecureUrls"] = "false" },
            environment: "Production");
        var client = production.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token($"t-{Guid.NewGuid():N}", []));

        var response = await client.PostJsonAsync("/v1/webhooks", new { url = "http://127.0.0.1:9/hook", secret = Secret });

        var problem = await response.AssertProblemAsync(400, "validation_failed");
        Assert.Contains("https", problem.GetProperty("errors").GetProperty("url")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebhooksNeedTheirScope()
    {
        var reader = api.Client($"t-{Guid.NewGuid():N}", "events:read");

        await (await reader.PostJsonAsync("/v1/webhooks", new { url = "http://127.0.0.1:9/hook", secret = Secret })).AssertProblemAsync(403, "forbidden");
        await (await reader.GetAsync("/v1/admin/dead-letters")).AssertProblemAsync(403, "forbidden");
    }
}
