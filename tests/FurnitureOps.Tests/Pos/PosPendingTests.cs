using System.Net;
using System.Text;
using System.Text.Json;
using FurnitureOps.Grains.Pos;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Pos;

/// <summary>
/// The operators' view of POS events whose saga has steps left: a step that keeps failing leaves its event
/// listed as pending (per tenant, oldest first), and a retry runs its steps at once, applying them once.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class PosPendingTests(ApiFixture api) : PosTestBase(api)
{
    [Fact]
    public async Task AnEventWhoseStepKeepsFailingIsPendingUntilARetryAppliesItOnce()
    {
        var sku = await CreateSkuAsync(10);
        var requestId = NewId("req");
        string eventId;
        await using (await InjectedWriteFailure.ForSkuLedgerAsync(Fixture.Database, sku))
        {
            var accepted = await PostEventWithRequestIdAsync(Event("sale", [(sku, 4)], source: "till-9"), "flaky-1", requestId);
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
            eventId = (await accepted.JsonAsync()).GetProperty("eventId").GetString()!;
            await PosEventScenarios.PostponeNextAttemptAsync(Fixture.Database, Tenant, eventId);
        }

        var pending = Assert.Single(await PendingAsync());
        var retried = await Client.SendRawAsync(HttpMethod.Post, $"/v1/pos/events/{eventId}/retry", "", "ignored-key");
        var afterRetry = await PendingAsync();
        var again = await Client.SendRawAsync(HttpMethod.Post, $"/v1/pos/events/{eventId}/retry", "", null);

        Assert.Equal((eventId, "till-9", "pending", requestId),
            (pending.GetProperty("eventId").GetString(), pending.GetProperty("source").GetString(), pending.GetProperty("status").GetString(),
             pending.GetProperty("requestId").GetString()));
        Assert.True(pending.GetProperty("attempts").GetInt32() >= 1);
        Assert.Contains("StorageUnavailable", pending.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.True(pending.GetProperty("acceptedAt").GetDateTimeOffset() < pending.GetProperty("nextAttemptAt").GetDateTimeOffset());

        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        var view = await retried.JsonAsync();
        Assert.Equal((eventId, "applied"), (view.GetProperty("eventId").GetString(), view.GetProperty("status").GetString()));
        Assert.All(view.GetProperty("steps").EnumerateArray(), step => Assert.Equal("applied", step.GetProperty("status").GetString()));
        Assert.Empty(afterRetry);
        Assert.Equal(6, await OnHandAsync(sku));
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2 AND operation = 'sell'", Tenant, sku));
        var conflict = await again.AssertProblemAsync(409, "pos_event_not_pending");
        Assert.Equal("applied", conflict.GetProperty("eventStatus").GetString());
        Assert.Equal(6, await OnHandAsync(sku));
    }

    [Fact]
    public async Task PendingEventsAreListedOldestFirstAndOnlyToTheirTenant()
    {
        var sku = await CreateSkuAsync(10);
        var other = Fixture.Client($"t-{Guid.NewGuid():N}");
        await using var failure = await InjectedWriteFailure.ForSkuLedgerAsync(Fixture.Database, sku);
        var first = await (await PostEventAsync(Event("sale", [(sku, 1)]), "older")).JsonAsync();
        var second = await (await PostEventAsync(Event("sale", [(sku, 2)]), "newer")).JsonAsync();

        var mine = await PendingAsync();
        var oneOfMine = await PendingAsync("?limit=1");
        var theirs = await (await other.GetAsync("/v1/pos/pending")).JsonAsync();
        var theirRetry = await other.SendRawAsync(HttpMethod.Post, $"/v1/pos/events/{first.GetProperty("eventId").GetString()}/retry", "", null);

        Assert.Equal([first.GetProperty("eventId").GetString(), second.GetProperty("eventId").GetString()],
            mine.Select(item => item.GetProperty("eventId").GetString()));
        Assert.Equal([first.GetProperty("eventId").GetString()], oneOfMine.Select(item => item.GetProperty("eventId").GetString()));
        Assert.Empty(theirs.GetProperty("events").EnumerateArray());
        await theirRetry.AssertProblemAsync(404, "not_found");
    }

    [Fact]
    public async Task RetryOfAnUnknownEventIs404AndOfAFinishedOneIs409WithItsStatus()
    {
        var sku = await CreateSkuAsync(1);
        var applied = await (await PostEventAsync(Event("sale", [(sku, 1)]), "sale-1")).JsonAsync();
        var rejected = await (await PostEventAsync(Event("sale", [(sku, 1)]), "sale-2")).JsonAsync();

        var unknown = await Client.SendRawAsync(HttpMethod.Post, $"/v1/pos/events/{Guid.NewGuid()}/retry", "", null);
        var ofApplied = await Client.SendRawAsync(HttpMethod.Post, $"/v1/pos/events/{applied.GetProperty("eventId").GetString()}/retry", "", null);
        var ofRejected = await Client.SendRawAsync(HttpMethod.Post, $"/v1/pos/events/{rejected.GetProperty("eventId").GetString()}/retry", "", null);

        await unknown.AssertProblemAsync(404, "not_found");
        Assert.Equal("applied", (await ofApplied.AssertProblemAsync(409, "pos_event_not_pending")).GetProperty("eventStatus").GetString());
        Assert.Equal("rejected", (await ofRejected.AssertProblemAsync(409, "pos_event_not_pending")).GetProperty("eventStatus").GetString());
        Assert.Equal(0, await OnHandAsync(sku));
    }

    [Theory]
    [InlineData("/v1/pos/pending?limit=0", "limit")]
    [InlineData("/v1/pos/pending?limit=1001", "limit")]
    [InlineData("/v1/pos/pending?limit=many", "limit")]
    [InlineData("/v1/pos/events/not-a-uuid/retry", "eventId")]
    public async Task ABadEventIdOrLimitIs400(string url, string field)
    {
        var method = url.EndsWith("/retry", StringComparison.Ordinal) ? HttpMethod.Post : HttpMethod.Get;

        var response = await Client.SendAsync(new HttpRequestMessage(method, url));

        var problem = await response.AssertProblemAsync(400, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"errors name {field}");
    }

    [Fact]
    public async Task ListingNeedsPosReadAndRetryingPosAdmin()
    {
        var reader = Fixture.Client(Tenant, "pos:read");
        var ingester = Fixture.Client(Tenant, "pos:ingest");

        var listed = await reader.GetAsync("/v1/pos/pending");
        var retried = await reader.SendRawAsync(HttpMethod.Post, $"/v1/pos/events/{Guid.NewGuid()}/retry", "", null);
        var unlisted = await ingester.GetAsync("/v1/pos/pending");

        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        await retried.AssertProblemAsync(403, "forbidden");
        await unlisted.AssertProblemAsync(403, "forbidden");
    }

    [Fact]
    public async Task TheListReadsThroughItsPartialIndex()
    {
        await using var connection = await Fixture.Database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();

        // With sequential scans priced out, the plan names the index if it can serve the store's query.
        await new Npgsql.NpgsqlCommand("SET LOCAL enable_seqscan = off", connection, transaction).ExecuteNonQueryAsync();
        await using var explain = new Npgsql.NpgsqlCommand($"EXPLAIN {PosPendingStore.ListSql}", connection, transaction);
        explain.Parameters.Add(new() { Value = Tenant });
        explain.Parameters.Add(new() { Value = 100 });
        var plan = new StringBuilder();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                plan.AppendLine(reader.GetString(0));
            }
        }

        Assert.Contains("pos_events_pending", plan.ToString(), StringComparison.Ordinal);
    }

    private async Task<List<JsonElement>> PendingAsync(string query = "")
    {
        var response = await Client.GetAsync($"/v1/pos/pending{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("events").EnumerateArray().ToList();
    }

    private Task<HttpResponseMessage> PostEventWithRequestIdAsync(object body, string key, string requestId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/pos/events")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        request.Headers.Add("X-Request-ID", requestId);
        return Client.SendAsync(request);
    }
}
