using System.Net;
using System.Text.Json;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary>Multi-line stock holds over real HTTP: every line held or none, commit, release, expiry, replays.</summary>
[Collection(ApiDefinition.Name)]
public sealed class HoldTests(ApiFixture api) : ApiTestBase(api)
{
    private string SkuA => $"{Sku}-A";
    private string SkuB => $"{Sku}-B";
    private string SkuC => $"{Sku}-C";

    [Fact]
    public async Task AHoldReservesEveryLineAndItsCommitSellsThemAllOnceWhateverIsResent()
    {
        await CreateSkusAsync((SkuA, 10), (SkuB, 10), (SkuC, 10));

        var placed = await PlaceAsync("checkout-1", (SkuA, 2), (SkuB, 3), (SkuC, 1));
        var placedAgain = await PlaceAsync("checkout-1", (SkuA, 2), (SkuB, 3), (SkuC, 1));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var hold = await placed.JsonAsync();
        var id = hold.GetProperty("holdId").GetString();
        Assert.Equal($"/v1/holds/{id}", placed.Headers.Location?.OriginalString);
        Assert.Equal("held", hold.GetProperty("status").GetString());
        Assert.All(hold.GetProperty("lines").EnumerateArray(), line => Assert.Equal("held", line.GetProperty("status").GetString()));
        Assert.Equal(await placed.Content.ReadAsStringAsync(), await placedAgain.Content.ReadAsStringAsync());
        Assert.Equal("true", placedAgain.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal([(2L, 8L), (3L, 7L), (1L, 9L)], [await ReservedAndAvailableAsync(SkuA), await ReservedAndAvailableAsync(SkuB), await ReservedAndAvailableAsync(SkuC)]);

        var committed = await Client.PostJsonAsync($"/v1/holds/{id}/commit", new { }, "commit-1");
        var resent = await Client.PostJsonAsync($"/v1/holds/{id}/commit", new { }, "commit-1");
        var releaseAfter = await Client.PostJsonAsync($"/v1/holds/{id}/release", new { }, "release-1");

        Assert.Equal(HttpStatusCode.OK, committed.StatusCode);
        var body = await committed.JsonAsync();
        Assert.Equal("committed", body.GetProperty("status").GetString());
        Assert.All(body.GetProperty("lines").EnumerateArray(), line => Assert.Equal("committed", line.GetProperty("status").GetString()));
        Assert.Equal(await committed.Content.ReadAsStringAsync(), await resent.Content.ReadAsStringAsync());
        Assert.Equal("committed", (await releaseAfter.AssertProblemAsync(409, "hold_not_held")).GetProperty("holdStatus").GetString());
        foreach (var (sku, quantity) in new[] { (SkuA, 2L), (SkuB, 3L), (SkuC, 1L) })
        {
            var item = await ItemAsync(sku);
            Assert.Equal((10 - quantity, quantity, 0L), (item.GetProperty("onHand").GetInt64(), item.GetProperty("sold").GetInt64(), item.GetProperty("reserved").GetInt64()));
            Assert.Equal(["create", "reserve", "reservation_commit"], await OperationsAsync(sku));
            await LedgerRows.AssertChainIntactAsync(Fixture.Database, Tenant, sku);
        }
    }

    [Fact]
    public async Task AHoldWithOneLineShortReservesNothingAndSaysWhichLine()
    {
        await CreateSkusAsync((SkuA, 10), (SkuB, 1), (SkuC, 10));

        var refused = await PlaceAsync("checkout-1", (SkuA, 2), (SkuB, 2), (SkuC, 1));
        var resent = await PlaceAsync("checkout-1", (SkuA, 2), (SkuB, 2), (SkuC, 1));

        var problem = await refused.AssertProblemAsync(409, "insufficient_stock");
        Assert.Equal((1, SkuB, 1L), (problem.GetProperty("line").GetInt32(), problem.GetProperty("sku").GetString(), problem.GetProperty("available").GetInt64()));
        var hold = problem.GetProperty("hold");
        Assert.Equal("refused", hold.GetProperty("status").GetString());
        Assert.Equal(["released", "refused", "not_reserved"], hold.GetProperty("lines").EnumerateArray().Select(line => line.GetProperty("status").GetString()));
        Assert.Equal(await refused.Content.ReadAsStringAsync(), await resent.Content.ReadAsStringAsync());
        Assert.Equal([(0L, 10L), (0L, 1L), (0L, 10L)], [await ReservedAndAvailableAsync(SkuA), await ReservedAndAvailableAsync(SkuB), await ReservedAndAvailableAsync(SkuC)]);
        Assert.Equal(["create", "reserve", "reservation_release"], await OperationsAsync(SkuA));
        Assert.Equal(["create"], await OperationsAsync(SkuB));
        Assert.Equal(["create"], await OperationsAsync(SkuC));
        var read = await (await Client.GetAsync($"/v1/holds/{hold.GetProperty("holdId").GetString()}")).JsonAsync();
        Assert.Equal("refused", read.GetProperty("status").GetString());

        var missing = await PlaceAsync("checkout-2", (SkuA, 1), ($"{Sku}-NOPE", 1));
        Assert.Equal(1, (await missing.AssertProblemAsync(404, "sku_not_found")).GetProperty("line").GetInt32());
        Assert.Equal((0L, 10L), await ReservedAndAvailableAsync(SkuA));
    }

    [Fact]
    public async Task HoldsRacingForTheSameStockAreEachWholeOrNothing()
    {
        await CreateSkusAsync((SkuA, 5), (SkuB, 100));

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => PlaceAsync($"checkout-{i}", (SkuB, 1), (SkuA, 1))));

        Assert.Equal(5, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal((5L, 0L), await ReservedAndAvailableAsync(SkuA));
        Assert.Equal((5L, 95L), await ReservedAndAvailableAsync(SkuB)); // each refused hold released its SKU-B line
        Assert.Equal(5, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM stock_holds WHERE tenant_id = $1 AND status = 'held'", Tenant));
    }

    [Fact]
    public async Task AReleaseFreesEveryLineAndAReleasedHoldCannotBeCommitted()
    {
        await CreateSkusAsync((SkuA, 4), (SkuB, 4));
        var id = await HoldIdAsync(await PlaceAsync("checkout-1", (SkuA, 4), (SkuB, 1)));

        var released = await Client.PostJsonAsync($"/v1/holds/{id}/release", new { }, "release-1");
        var commit = await Client.PostJsonAsync($"/v1/holds/{id}/commit", new { }, "commit-1");

        Assert.Equal("released", (await released.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal("released", (await commit.AssertProblemAsync(409, "hold_not_held")).GetProperty("holdStatus").GetString());
        Assert.Equal([(0L, 4L), (0L, 4L)], [await ReservedAndAvailableAsync(SkuA), await ReservedAndAvailableAsync(SkuB)]);
        Assert.Equal(["create", "reserve", "reservation_release"], await OperationsAsync(SkuA));
    }

    [Fact]
    public async Task AHoldExpiresOnceByItselfAtItsTimeAndALateCommitIsRefused()
    {
        await CreateSkusAsync((SkuA, 4), (SkuB, 4));
        var id = await HoldIdAsync(await PlaceAsync("checkout-1", [(SkuA, 1), (SkuB, 2)], expiresInSeconds: 1));

        // Its lines' reservations would expire by themselves a minute later: this is the hold's own expiry.
        await Poll.UntilAsync(async () =>
                (await (await Client.GetAsync($"/v1/holds/{id}")).JsonAsync()).GetProperty("status").GetString() == "expired",
            "the sagas' sweeper expires the hold", TimeSpan.FromSeconds(30));
        var commit = await Client.PostJsonAsync($"/v1/holds/{id}/commit", new { }, "late-commit");

        Assert.Equal("expired", (await commit.AssertProblemAsync(409, "hold_not_held")).GetProperty("holdStatus").GetString());
        foreach (var sku in new[] { SkuA, SkuB })
        {
            Assert.Equal((0L, 4L), await ReservedAndAvailableAsync(sku));
            Assert.Equal(["create", "reserve", "reservation_expire"], await OperationsAsync(sku));
            Assert.Equal("system:reservation-expiry", await LedgerRows.ScalarTextAsync(Fixture.Database,
                "SELECT actor FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2 AND operation = 'reservation_expire'", Tenant, sku));
        }
    }

    [Fact]
    public async Task BadHoldRequestsAreRefusedAndWriteNothing()
    {
        await CreateSkusAsync((SkuA, 4));
        var before = await LedgerRows.CountAsync(Fixture.Database, Tenant, SkuA);

        var calls = new (HttpResponseMessage Response, int Status, string Code)[]
        {
            (await Client.PostJsonAsync("/v1/holds", new { lines = Array.Empty<object>() }, "bad-1"), 400, "validation_failed"),
            (await Client.PostJsonAsync("/v1/holds", new { lines = new[] { new { sku = SkuA, quantity = 1 }, new { sku = SkuA, quantity = 2 } } }, "bad-2"), 400, "validation_failed"),
            (await Client.PostJsonAsync("/v1/holds", new { lines = new[] { new { sku = SkuA, quantity = 0 } } }, "bad-3"), 400, "validation_failed"),
            (await Client.PostJsonAsync("/v1/holds", new { lines = new[] { new { sku = "no spaces", quantity = 1 } } }, "bad-4"), 400, "validation_failed"),
            (await Client.PostJsonAsync("/v1/holds", new { lines = Enumerable.Range(0, 101).Select(i => new { sku = $"S{i}", quantity = 1 }) }, "bad-5"), 400, "validation_failed"),
            (await Client.PostJsonAsync("/v1/holds", new { lines = new[] { new { sku = SkuA, quantity = 1 } }, expiresInSeconds = 0 }, "bad-6"), 400, "validation_failed"),
            (await Client.SendJsonAsync(HttpMethod.Post, "/v1/holds", new { lines = new[] { new { sku = SkuA, quantity = 1 } } }, idempotencyKey: null), 400, "idempotency_key_missing"),
            (await Client.GetAsync("/v1/holds/not-a-uuid"), 400, "validation_failed"),
            (await Client.GetAsync($"/v1/holds/{Guid.NewGuid()}"), 404, "hold_not_found"),
            (await Client.PostJsonAsync($"/v1/holds/{Guid.NewGuid()}/commit", new { }, "bad-7"), 404, "hold_not_found"),
        };

        Assert.Equal(calls.Select(call => (call.Status, (string?)call.Code)), await Task.WhenAll(calls.Select(async call =>
            ((int)call.Response.StatusCode, (await call.Response.JsonAsync()).TryGetProperty("code", out var code) ? code.GetString() : null))));

        Assert.Equal(before, await LedgerRows.CountAsync(Fixture.Database, Tenant, SkuA));
        Assert.Equal(0, await LedgerRows.ScalarAsync(Fixture.Database, "SELECT count(*) FROM stock_holds WHERE tenant_id = $1", Tenant));
    }

    private async Task CreateSkusAsync(params (string Sku, long OnHand)[] skus)
    {
        foreach (var (sku, onHand) in skus)
        {
            var response = await Client.PostJsonAsync("/v1/inventory", new { sku, name = "Oak chair", onHand });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    private Task<HttpResponseMessage> PlaceAsync(string key, params (string Sku, long Quantity)[] lines) => PlaceAsync(key, lines, null);

    private Task<HttpResponseMessage> PlaceAsync(string key, (string Sku, long Quantity)[] lines, int? expiresInSeconds) =>
        Client.PostJsonAsync("/v1/holds", new { lines = lines.Select(line => new { sku = line.Sku, quantity = line.Quantity }), expiresInSeconds }, key);

    private static async Task<string> HoldIdAsync(HttpResponseMessage placed)
    {
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        return (await placed.JsonAsync()).GetProperty("holdId").GetString()!;
    }

    private async Task<JsonElement> ItemAsync(string sku) => await (await Client.GetAsync($"/v1/inventory/{sku}")).JsonAsync();

    private async Task<(long Reserved, long Available)> ReservedAndAvailableAsync(string sku)
    {
        var item = await ItemAsync(sku);
        return (item.GetProperty("reserved").GetInt64(), item.GetProperty("available").GetInt64());
    }

    private async Task<List<string>> OperationsAsync(string sku)
    {
        var ledger = await (await Client.GetAsync($"/v1/inventory/{sku}/ledger")).JsonAsync();
        return ledger.GetProperty("entries").EnumerateArray().Select(entry => entry.GetProperty("op").GetString()!).ToList();
    }
}
