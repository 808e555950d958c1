using System.Net;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Pos;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FurnitureOps.Tests.Pos;

/// <summary>POS intake over HTTP: first delivery 201, later ones 204, changed body 409; the saga's effects.</summary>
[Collection(ApiDefinition.Name)]
public sealed class PosIntakeTests(ApiFixture api) : PosTestBase(api)
{
    [Fact]
    public async Task SaleSellsEveryLineAndAccruesPointsForTheAmount()
    {
        var (chair, table) = (await CreateSkuAsync(10), await CreateSkuAsync(5));
        var player = NewId("P");

        var response = await PostEventAsync(Event("sale", [(chair, 2), (table, 1)], player, amount: 249.90m), "receipt-1");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var accepted = await response.JsonAsync();
        var eventId = accepted.GetProperty("eventId").GetString()!;
        Assert.Equal($"/v1/pos/events/{eventId}", response.Headers.Location?.OriginalString);
        Assert.Equal("applied", accepted.GetProperty("status").GetString());
        Assert.Equal((8L, 4L, 249L), (await OnHandAsync(chair), await OnHandAsync(table), await BalanceAsync(player)));

        var view = await FinishedEventAsync(eventId);
        var steps = view.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal(["sellLine", "sellLine", "accruePoints"], steps.Select(s => s.GetProperty("kind").GetString()));
        Assert.All(steps, step => Assert.Equal("applied", step.GetProperty("status").GetString()));
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2 AND business_key = $3", Tenant, player, $"pos:{eventId}"));
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2 AND idempotency_key = $3", Tenant, chair, $"system:pos/{eventId}/line-1"));
    }

    [Fact]
    public async Task FiveParallelIdenticalDeliveriesGiveOne201AndFour204()
    {
        var sku = await CreateSkuAsync(10);
        var body = Event("sale", [(sku, 1)]);

        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostEventAsync(body, "same-receipt")));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.NoContent));
        foreach (var noContent in responses.Where(r => r.StatusCode == HttpStatusCode.NoContent))
        {
            Assert.Empty(await noContent.Content.ReadAsByteArrayAsync());
        }

        Assert.Equal(9, await OnHandAsync(sku));
    }

    [Fact]
    public async Task TheSameKeyInTwoTenantsIsTwoEvents()
    {
        var sku = await CreateSkuAsync(10);
        var otherTenant = $"t-{Guid.NewGuid():N}";
        var other = Fixture.Client(otherTenant);
        Assert.Equal(HttpStatusCode.Created,
            (await other.PostJsonAsync("/v1/inventory", new { sku, name = "Oak chair", onHand = 10 })).StatusCode);

        var first = await PostEventAsync(Event("sale", [(sku, 1)]), "shared-key");
        var second = await PostEventAsync(Event("sale", [(sku, 1)]), "shared-key", other);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, second.StatusCode));
        Assert.NotEqual((await first.JsonAsync()).GetProperty("eventId").GetString(), (await second.JsonAsync()).GetProperty("eventId").GetString());
        Assert.Equal(9, await OnHandAsync(sku));
        Assert.Equal(9, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT on_hand FROM inventory_items WHERE tenant_id = $1 AND sku = $2", otherTenant, sku));
    }

    [Fact]
    public async Task WithoutAKeyTheBodyIsTheKey()
    {
        var sku = await CreateSkuAsync(10);
        var body = Event("sale", [(sku, 1)]);

        var first = await PostEventAsync(body, key: null);
        var again = await PostEventAsync(body, key: null);
        var different = await PostEventAsync(Event("sale", [(sku, 2)]), key: null);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.NoContent, HttpStatusCode.Created),
            (first.StatusCode, again.StatusCode, different.StatusCode));
        Assert.Equal(7, await OnHandAsync(sku));
    }

    [Fact]
    public async Task ARetryThatSpellsANumberDifferentlyIsTheSameEvent()
    {
        var sku = await CreateSkuAsync(10);
        string Body(string amount) =>
            "{\"source\":\"till-1\",\"type\":\"sale\",\"occurredAt\":\"2026-11-20T10:00:00Z\"," +
            $"\"lines\":[{{\"sku\":\"{sku}\",\"quantity\":1}}],\"amount\":{amount}}}";

        // A till that re-serialises on retry: 120 becomes 120.0, or 1.2e2.
        var first = await PostRawAsync(Body("120"), key: null);
        var keylessRetry = await PostRawAsync(Body("120.0"), key: null);
        var keyed = await PostRawAsync(Body("120"), key: "receipt-120");
        var keyedRetry = await PostRawAsync(Body("1.2e2"), key: "receipt-120");

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.NoContent, HttpStatusCode.Created, HttpStatusCode.NoContent),
            (first.StatusCode, keylessRetry.StatusCode, keyed.StatusCode, keyedRetry.StatusCode));
        Assert.Equal(8, await OnHandAsync(sku)); // two events, one sale each
    }

    [Fact]
    public async Task SameKeyWithAnotherBodyIs409AndChangesNothing()
    {
        var sku = await CreateSkuAsync(10);
        Assert.Equal(HttpStatusCode.Created, (await PostEventAsync(Event("sale", [(sku, 1)]), "receipt-7")).StatusCode);

        var reused = await PostEventAsync(Event("sale", [(sku, 3)]), "receipt-7");

        await reused.AssertProblemAsync(409, "idempotency_key_reused");
        Assert.Equal(9, await OnHandAsync(sku));
    }

    [Fact]
    public async Task InsufficientStockOnLineTwoOfThreeRejectsTheEventAndCompensatesLineOne()
    {
        var (first, scarce, third) = (await CreateSkuAsync(10), await CreateSkuAsync(1), await CreateSkuAsync(10));
        var player = NewId("P");

        var response = await PostEventAsync(Event("sale", [(first, 3), (scarce, 2), (third, 1)], player, amount: 50m), "receipt-x");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = await FinishedEventAsync((await response.JsonAsync()).GetProperty("eventId").GetString()!);
        Assert.Equal("rejected", view.GetProperty("status").GetString());
        Assert.Equal("insufficient_stock", view.GetProperty("rejectionCode").GetString());
        var steps = view.GetProperty("steps").EnumerateArray()
            .Select(s => (s.GetProperty("kind").GetString(), s.GetProperty("status").GetString())).ToList();
        Assert.Equal(
            [("sellLine", "applied"), ("sellLine", "refused"), ("sellLine", "skipped"), ("accruePoints", "skipped"), ("compensateLine", "applied")],
            steps);

        Assert.Equal((10L, 1L, 10L, 0L), (await OnHandAsync(first), await OnHandAsync(scarce), await OnHandAsync(third), await BalanceAsync(player)));
        Assert.Equal(["create", "sell", "return"], await OperationsAsync(first));
        Assert.Equal(["create"], await OperationsAsync(scarce));
        Assert.Equal(["create"], await OperationsAsync(third));
    }

    [Fact]
    public async Task ReturnPutsStockBackAndReversesThePoints()
    {
        var sku = await CreateSkuAsync(10);
        var player = NewId("P");
        Assert.Equal(HttpStatusCode.Created, (await PostEventAsync(Event("sale", [(sku, 2)], player, amount: 100m), "sale-1")).StatusCode);

        var returned = await PostEventAsync(Event("return", [(sku, 1)], player, amount: 40m), "return-1");

        Assert.Equal(HttpStatusCode.Created, returned.StatusCode);
        Assert.Equal("applied", (await returned.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal((9L, 60L), (await OnHandAsync(sku), await BalanceAsync(player)));
        Assert.Equal(100, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT lifetime_points FROM loyalty_players WHERE tenant_id = $1 AND player_id = $2", Tenant, player));
    }

    [Fact]
    public async Task AFailingStepIsRetriedByTheSweeperAndAppliedOnce()
    {
        var sku = await CreateSkuAsync(10);
        string eventId;
        await using (await InjectedWriteFailure.ForSkuLedgerAsync(Fixture.Database, sku))
        {
            var response = await PostEventAsync(Event("sale", [(sku, 4)]), "flaky-1");
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var accepted = await response.JsonAsync();
            Assert.Equal("pending", accepted.GetProperty("status").GetString());
            eventId = accepted.GetProperty("eventId").GetString()!;
        }

        var view = await FinishedEventAsync(eventId);

        Assert.Equal("applied", view.GetProperty("status").GetString());
        Assert.True(view.GetProperty("attempts").GetInt32() >= 1);
        Assert.Equal(6, await OnHandAsync(sku));
        Assert.Equal(["create", "sell"], await OperationsAsync(sku));
    }

    [Fact]
    public async Task ARepeatWhileTheFirstDeliverysOutcomeIsStillCommittingWaitsForIt()
    {
        var sku = await CreateSkuAsync(10);
        var eventId = FurnitureOps.Api.Pos.PosApi.EventIdFor(Tenant, "till-1", "receipt-1").ToString();

        // Hold the sale, so the event is accepted and its row exists; then hold that row and let the sale go:
        // the first delivery is answered with its steps applied while its outcome's commit waits on the row.
        var skuHeld = await RowLock.TakeAsync(Fixture.Database, Tenant, sku);
        var first = PostEventAsync(Event("sale", [(sku, 2)]), "receipt-1");
        await skuHeld.UntilWaitedOnAsync();
        await using var rowHeld = await RowLock.TakeAsync(Fixture.Database, "pos_events", "event_id", Tenant, eventId);
        await skuHeld.DisposeAsync();
        Assert.Equal(HttpStatusCode.Created, (await first).StatusCode);
        await rowHeld.UntilWaitedOnAsync();

        var repeat = PostEventAsync(Event("sale", [(sku, 2)]), "receipt-1");
        var answeredWhileHeld = await Task.WhenAny(repeat, Task.Delay(TimeSpan.FromSeconds(1))) == repeat;
        await rowHeld.DisposeAsync();

        Assert.False(answeredWhileHeld, "the repeat was answered before the first delivery's outcome was committed");
        Assert.Equal(HttpStatusCode.NoContent, (await repeat).StatusCode);
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM pos_events WHERE tenant_id = $1 AND event_id = $2 AND status = 'applied' AND next_attempt_at IS NULL", Tenant, eventId));
        Assert.Equal(8, await OnHandAsync(sku));
    }

    [Fact]
    public async Task ARepeatThatReachesANewActivationIsAnsweredFromTheRowAndChangesNothing()
    {
        // A new activation accepts without reading its row first (most are a first delivery): its insert finds
        // the earlier delivery's row, and the activation answers from that row instead.
        var sku = await CreateSkuAsync(10);
        var body = Event("sale", [(sku, 1)]);
        var first = await PostEventAsync(body, "receipt-1");
        var eventId = (await first.JsonAsync()).GetProperty("eventId").GetString()!;
        await DeactivateEventAsync(eventId);

        var repeat = await PostEventAsync(body, "receipt-1");
        await DeactivateEventAsync(eventId);
        var changed = await PostEventAsync(Event("sale", [(sku, 3)]), "receipt-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, repeat.StatusCode);
        await changed.AssertProblemAsync(409, "idempotency_key_reused");
        Assert.Equal(9, await OnHandAsync(sku));
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM pos_events WHERE tenant_id = $1 AND event_id = $2 AND version = 2 AND status = 'applied'", Tenant, eventId));
    }

    [Fact]
    public async Task UnknownEventIs404()
    {
        var response = await Client.GetAsync($"/v1/pos/events/{Guid.NewGuid()}");

        await response.AssertProblemAsync(404, "not_found");
    }

    private Task DeactivateEventAsync(string eventId)
    {
        var grains = Fixture.Silo.Services.GetRequiredService<IGrainFactory>();
        return ClusterTestActions.DeactivateAsync(grains, grains.GetGrain<IPosEventGrain>(TenantKey.Format(Tenant, eventId)));
    }

    private async Task<List<string>> OperationsAsync(string sku)
    {
        await using var command = Fixture.Database.CreateCommand(
            "SELECT operation FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2 ORDER BY version");
        command.Parameters.Add(new() { Value = Tenant });
        command.Parameters.Add(new() { Value = sku });
        var operations = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            operations.Add(reader.GetString(0));
        }

        return operations;
    }

    private Task<HttpResponseMessage> PostRawAsync(string json, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/pos/events")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return Client.SendAsync(request);
    }
}
