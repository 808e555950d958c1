using System.Net;
using System.Text.Json;
using FurnitureOps.Api.Auth;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary><c>GET /v1/rating-slips/attention</c>: the tenant's completed slips whose accrual waits for the sweeper or an operator.</summary>
[Collection(ApiDefinition.Name)]
public sealed class RatingSlipAttentionTests(ApiFixture api) : ApiTestBase(api)
{
    private readonly string _player = $"P-{Guid.NewGuid():N}";

    [Fact]
    public async Task ASlipWhoseAccrualFailsIsListedUntilItsRecoverySucceeds()
    {
        var slipId = await OpenSlipAsync(Client);
        var healthy = await OpenSlipAsync(Client);
        Assert.Equal(HttpStatusCode.OK, (await CompleteAsync(Client, healthy)).StatusCode);

        JsonElement partial;
        List<JsonElement> listed;
        await using (await InjectedWriteFailure.ForPlayerLedgerAsync(Fixture.Database, _player))
        {
            var completed = await CompleteAsync(Client, slipId);
            Assert.Equal(HttpStatusCode.Accepted, completed.StatusCode);
            partial = await completed.JsonAsync();
            listed = await AttentionAsync(Client);
        }

        var slip = Assert.Single(listed); // neither the accrued slip nor an open one
        Assert.Equal(slipId, slip.GetProperty("slipId").GetString());
        Assert.Equal((_player, "roulette", 20L), (slip.GetProperty("playerId").GetString(), slip.GetProperty("game").GetString(),
            slip.GetProperty("points").GetInt64()));
        Assert.Equal("pending", slip.GetProperty("accrual").GetString()); // stalled only after Loyalty:MaxAccrualAttempts
        Assert.True(slip.GetProperty("accrualAttempts").GetInt32() >= 1);
        Assert.Equal(partial.GetProperty("correlationId").GetString(), slip.GetProperty("correlationId").GetString());
        Assert.Equal(partial.GetProperty("slip").GetProperty("completedAt").GetDateTimeOffset(), slip.GetProperty("completedAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.String, slip.GetProperty("nextAttemptAt").ValueKind);

        var recovered = await Client.PostJsonAsync($"/v1/rating-slips/{slipId}/recover-loyalty", new { });

        Assert.Equal(HttpStatusCode.OK, recovered.StatusCode);
        Assert.Empty(await AttentionAsync(Client));
    }

    [Fact]
    public async Task AnotherTenantsWaitingSlipsNeverShow()
    {
        var other = Fixture.Client($"t-{Guid.NewGuid():N}");
        var mine = await OpenSlipAsync(Client);
        var theirs = await OpenSlipAsync(other);

        List<JsonElement> mineListed, theirsListed;
        await using (await InjectedWriteFailure.ForPlayerLedgerAsync(Fixture.Database, _player)) // the same player id in both tenants
        {
            Assert.Equal(HttpStatusCode.Accepted, (await CompleteAsync(Client, mine)).StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, (await CompleteAsync(other, theirs)).StatusCode);
            (mineListed, theirsListed) = (await AttentionAsync(Client), await AttentionAsync(other));
        }

        Assert.Equal([mine], mineListed.Select(slip => slip.GetProperty("slipId").GetString()));
        Assert.Equal([theirs], theirsListed.Select(slip => slip.GetProperty("slipId").GetString()));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("lots")]
    public async Task ALimitOutsideOneToAThousandIs400(string limit)
    {
        var problem = await (await Client.GetAsync($"/v1/rating-slips/attention?limit={limit}")).AssertProblemAsync(400, "validation_failed");

        Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _));
    }

    [Fact]
    public async Task ListingNeedsSlipsRead()
    {
        var writer = Fixture.Client(Tenant, Scopes.SlipsWrite);

        await (await writer.GetAsync("/v1/rating-slips/attention")).AssertProblemAsync(403, "forbidden");
        Assert.Equal(HttpStatusCode.OK, (await Fixture.Client(Tenant, Scopes.SlipsRead).GetAsync("/v1/rating-slips/attention")).StatusCode);
    }

    private async Task<string> OpenSlipAsync(HttpClient client)
    {
        var response = await client.PostJsonAsync("/v1/rating-slips", new { playerId = _player, game = "roulette", averageBet = 20m });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("slipId").GetString()!;
    }

    private static Task<HttpResponseMessage> CompleteAsync(HttpClient client, string slipId) =>
        client.PostJsonAsync($"/v1/rating-slips/{slipId}/complete", new { minutesPlayed = 10 });

    private static async Task<List<JsonElement>> AttentionAsync(HttpClient client)
    {
        var response = await client.GetAsync("/v1/rating-slips/attention");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("slips").EnumerateArray().ToList();
    }
}
