using System.Net;
using FurnitureOps.Api.Pos;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Pos;

/// <summary>
/// The sagas' steps send their own idempotency keys to the SKU and player grains, in the key space clients
/// use too. Those keys are reserved (<c>system:</c>), so a client cannot take one first; and a client that
/// uses the keys the steps had before (predictable: a POS event id is derived from its source and key) no
/// longer stalls a saga.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class SystemKeyTests(ApiFixture api) : PosTestBase(api)
{
    [Theory]
    [InlineData("system:pos/anything/line-1")]
    [InlineData("SYSTEM:x")]
    public async Task AClientKeyUnderTheReservedPrefixIs400AndWritesNothing(string key)
    {
        var sku = await CreateSkuAsync(5);

        var response = await Client.SendJsonAsync(HttpMethod.Post, $"/v1/inventory/{sku}/sales", new { quantity = 1 }, key);

        await response.AssertProblemAsync(400, "idempotency_key_reserved");
        Assert.Equal(5, await OnHandAsync(sku));
        Assert.Equal(0, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM idempotency_records WHERE tenant_id = $1 AND key = $2", Tenant, key));
    }

    [Fact]
    public async Task APosEventAppliesAlthoughAClientUsedItsLineKeyBefore()
    {
        var (sku, player) = (await CreateSkuAsync(10), NewId("P"));
        var eventId = PosApi.EventIdFor(Tenant, "till-1", "receipt-squatted");
        var squatted = await Client.SendJsonAsync(HttpMethod.Post, $"/v1/inventory/{sku}/sales", new { quantity = 1 }, $"{eventId}:1");
        Assert.Equal(HttpStatusCode.OK, squatted.StatusCode);
        var accrued = await Client.SendJsonAsync(HttpMethod.Post, $"/v1/players/{player}/loyalty/accruals",
            new { points = 5, sourceType = "promo", sourceId = "welcome" }, $"pos:{eventId}");
        Assert.Equal(HttpStatusCode.OK, accrued.StatusCode);

        var response = await PostEventAsync(Event("sale", [(sku, 2)], player, amount: 30m), "receipt-squatted");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(eventId.ToString(), (await response.JsonAsync()).GetProperty("eventId").GetString());
        var view = await FinishedEventAsync(eventId.ToString());
        Assert.Equal("applied", view.GetProperty("status").GetString());
        Assert.Equal((7L, 35L), (await OnHandAsync(sku), await BalanceAsync(player)));
    }

    [Fact]
    public async Task ASlipAccruesItsPointsAlthoughAClientUsedItsAccrualKeyBefore()
    {
        var player = NewId("P");
        var opened = await Client.PostJsonAsync("/v1/rating-slips", new { playerId = player, game = "roulette", averageBet = 10m });
        var slipId = (await opened.JsonAsync()).GetProperty("slipId").GetString()!;
        var squatted = await Client.SendJsonAsync(HttpMethod.Post, $"/v1/players/{player}/loyalty/accruals",
            new { points = 3, sourceType = "promo", sourceId = "welcome" }, $"rating-slip:{slipId}");
        Assert.Equal(HttpStatusCode.OK, squatted.StatusCode);

        var completed = await Client.PostJsonAsync($"/v1/rating-slips/{slipId}/complete", new { minutesPlayed = 60 });

        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var body = await completed.JsonAsync();
        Assert.Equal("accrued", body.GetProperty("slip").GetProperty("accrual").GetString());
        Assert.Equal(60L, body.GetProperty("accrual").GetProperty("points").GetInt64());
        Assert.Equal(63L, await BalanceAsync(player));
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM loyalty_ledger WHERE tenant_id = $1 AND business_key = $2", Tenant, $"rating_slip:{slipId}"));
    }
}
