using System.Net;
using System.Text.Json;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.RatingSlips;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace FurnitureOps.Tests.Api;

/// <summary>The rating-slip saga over real HTTP, with slip state and retry reminders in PostgreSQL.</summary>
[Collection(ApiDefinition.Name)]
public sealed class RatingSlipTests(ApiFixture api) : ApiTestBase(api)
{
    private readonly string _player = $"P-{Guid.NewGuid():N}";

    [Fact]
    public async Task OpenThenCompleteAccruesFloorOfBetTimesMinutesTimesRate()
    {
        var slipId = await OpenSlipAsync(averageBet: 25.5m);

        var completed = await CompleteAsync(slipId, minutes: 61);

        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var body = await completed.JsonAsync();
        var points = (long)Math.Floor(25.5m * 61 * 0.1m);
        Assert.Equal("completed", body.GetProperty("slip").GetProperty("status").GetString());
        Assert.Equal("accrued", body.GetProperty("slip").GetProperty("accrual").GetString());
        Assert.Equal(points, body.GetProperty("accrual").GetProperty("points").GetInt64());
        Assert.Equal($"rating_slip:{slipId}", body.GetProperty("accrual").GetProperty("sourceReference").GetString());
        Assert.Equal(points, await BalanceAsync());
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND aggregate_id = $2 AND event_type = 'rating_slip.completed.v1'", Tenant, slipId));
    }

    [Fact]
    public async Task OpeningWithTheSameKeyReachesTheSameSlip()
    {
        var first = await Client.PostJsonAsync("/v1/rating-slips", new { playerId = _player, game = "blackjack", averageBet = 10 }, "open-1");
        var again = await Client.PostJsonAsync("/v1/rating-slips", new { playerId = _player, game = "blackjack", averageBet = 10 }, "open-1");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var slip = await first.JsonAsync();
        Assert.Equal("open", slip.GetProperty("status").GetString());
        Assert.Equal(slip.GetProperty("slipId").GetString(), (await again.JsonAsync()).GetProperty("slipId").GetString());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
    }

    [Fact]
    public async Task CompletingACompletedSlipReplaysTheResultAndAccruesOnce()
    {
        var slipId = await OpenSlipAsync(averageBet: 10m);
        var first = await CompleteAsync(slipId, minutes: 30, key: "complete-1");

        var sameKey = await CompleteAsync(slipId, minutes: 30, key: "complete-1");
        var newKey = await CompleteAsync(slipId, minutes: 30, key: "complete-2");
        await ClusterTestActions.DeactivateAsync(Fixture.Silo.Services.GetRequiredService<IGrainFactory>(),
            Fixture.Silo.Services.GetRequiredService<IGrainFactory>().GetGrain<IRatingSlipGrain>(TenantKey.Format(Tenant, slipId)));
        var afterReload = await CompleteAsync(slipId, minutes: 45, key: "complete-3");

        Assert.Equal(await first.Content.ReadAsStringAsync(), await sameKey.Content.ReadAsStringAsync());
        Assert.Equal("true", sameKey.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.OK, newKey.StatusCode);
        Assert.Equal(30, (await afterReload.JsonAsync()).GetProperty("slip").GetProperty("minutesPlayed").GetInt32());
        Assert.Equal(1, await AccrualRowsAsync(slipId));
        Assert.Equal(30, await BalanceAsync());
    }

    [Fact]
    public async Task FailedAccrualAnswers202AndTheSweeperHealsItExactlyOnce()
    {
        var slipId = await OpenSlipAsync(averageBet: 20m);
        HttpResponseMessage partial;
        await using (await InjectedWriteFailure.ForPlayerLedgerAsync(Fixture.Database, _player))
        {
            partial = await CompleteAsync(slipId, minutes: 10);
            Assert.Equal("accrual_pending", await SlipRowStatusAsync(slipId, unfinished: true));
        }

        Assert.Equal(HttpStatusCode.Accepted, partial.StatusCode);
        var body = await partial.JsonAsync();
        Assert.Equal("PARTIAL_COMPLETION", body.GetProperty("code").GetString());
        Assert.Equal(slipId, body.GetProperty("slipId").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("correlationId").GetString()));
        Assert.Equal("completed", body.GetProperty("slip").GetProperty("status").GetString());
        Assert.Equal("pending", body.GetProperty("slip").GetProperty("accrual").GetString());

        var healed = await WaitForAccrualAsync(slipId);

        Assert.Equal("accrued", healed.GetProperty("accrual").GetString());
        Assert.Equal(1, await AccrualRowsAsync(slipId));
        Assert.Equal(20, await BalanceAsync());
        Assert.Equal("accrued", await SlipRowStatusAsync(slipId, unfinished: false));
    }

    [Fact]
    public async Task ManualRecoveryAccruesExactlyOnceHoweverOftenItRuns()
    {
        var slipId = await OpenSlipAsync(averageBet: 50m);
        await using (await InjectedWriteFailure.ForPlayerLedgerAsync(Fixture.Database, _player))
        {
            Assert.Equal(HttpStatusCode.Accepted, (await CompleteAsync(slipId, minutes: 10)).StatusCode);
            var stillFailing = await Client.PostJsonAsync($"/v1/rating-slips/{slipId}/recover-loyalty", new { });
            Assert.Equal(HttpStatusCode.Accepted, stillFailing.StatusCode);
        }

        var recoveries = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            Client.PostJsonAsync($"/v1/rating-slips/{slipId}/recover-loyalty", new { })));

        Assert.All(recoveries, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await AccrualRowsAsync(slipId));
        Assert.Equal(50, await BalanceAsync());
    }

    [Fact]
    public async Task FailedSaveOfTheSlipIs503AndTheSameKeyThenCompletesOnce()
    {
        var slipId = await OpenSlipAsync(averageBet: 10m);
        HttpResponseMessage failed;
        await using (await InjectedWriteFailure.ForSagaRowAsync(Fixture.Database, "rating_slips", "slip_id", slipId))
        {
            failed = await CompleteAsync(slipId, minutes: 20, key: "complete-during-outage");
        }

        var slipAfterFailure = await (await Client.GetAsync($"/v1/rating-slips/{slipId}")).JsonAsync();
        var retried = await CompleteAsync(slipId, minutes: 20, key: "complete-during-outage");

        await failed.AssertProblemAsync(503, "storage_unavailable");
        Assert.Equal("open", slipAfterFailure.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal(1, await AccrualRowsAsync(slipId));
        Assert.Equal(20, await BalanceAsync());
    }

    [Fact]
    public async Task UnknownSlipIs404()
    {
        var complete = await CompleteAsync("no-such-slip", minutes: 5);
        var get = await Client.GetAsync("/v1/rating-slips/no-such-slip");

        await complete.AssertProblemAsync(404, "slip_not_found");
        await get.AssertProblemAsync(404, "slip_not_found");
    }

    [Fact]
    public async Task SimultaneousCompletionsRewardsAndRedemptionsOnOnePlayerLoseNothing()
    {
        await Client.PostJsonAsync($"/v1/players/{_player}/loyalty/accruals", new { points = 200, sourceType = "seed", sourceId = "seed" });
        var slips = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => OpenSlipAsync(averageBet: 10m)));

        var calls = slips.Select(slipId => CompleteAsync(slipId, minutes: 10))
            .Concat(Enumerable.Range(0, 4).Select(i => Client.PostJsonAsync($"/v1/players/{_player}/loyalty/rewards", new { points = 7, reason = $"r{i}" })))
            .Concat(Enumerable.Range(0, 8).Select(i => Client.PostJsonAsync($"/v1/players/{_player}/loyalty/redemptions", new { points = 40, reference = $"v{i}" })));
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var balance = await BalanceAsync();
        var ledgerSum = await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT sum(CASE WHEN operation = 'redeem' THEN -points ELSE points END) FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2",
            Tenant, _player);
        Assert.Equal(ledgerSum, balance);
        Assert.True(balance >= 0);
        Assert.Equal(8, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2 AND business_key LIKE 'rating_slip:%'", Tenant, _player));
    }

    private async Task<string> OpenSlipAsync(decimal averageBet)
    {
        var response = await Client.PostJsonAsync("/v1/rating-slips", new { playerId = _player, game = "roulette", averageBet });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("slipId").GetString()!;
    }

    private Task<HttpResponseMessage> CompleteAsync(string slipId, int minutes, string? key = null) =>
        Client.PostJsonAsync($"/v1/rating-slips/{slipId}/complete", new { minutesPlayed = minutes }, key);

    private async Task<long> BalanceAsync() =>
        (await (await Client.GetAsync($"/v1/players/{_player}/loyalty")).JsonAsync()).GetProperty("balance").GetInt64();

    private Task<long> AccrualRowsAsync(string slipId) => LedgerRows.ScalarAsync(Fixture.Database,
        "SELECT count(*) FROM loyalty_ledger WHERE tenant_id = $1 AND business_key = $2", Tenant, $"rating_slip:{slipId}");

    /// <summary>The slip's row status, if its row is <paramref name="unfinished"/> (due for the sweeper) or not; null otherwise.</summary>
    private async Task<string?> SlipRowStatusAsync(string slipId, bool unfinished)
    {
        await using var command = Fixture.Database.CreateCommand(
            "SELECT status FROM rating_slips WHERE tenant_id = $1 AND slip_id = $2 AND (next_attempt_at IS NOT NULL) = $3");
        command.Parameters.Add(new() { Value = Tenant });
        command.Parameters.Add(new() { Value = slipId });
        command.Parameters.Add(new() { Value = unfinished });
        return (string?)await command.ExecuteScalarAsync();
    }

    /// <summary>Polls the slip until its accrual is made (the sweeper looks every second here); bounded at 30 s.</summary>
    private async Task<JsonElement> WaitForAccrualAsync(string slipId)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var slip = await (await Client.GetAsync($"/v1/rating-slips/{slipId}", timeout.Token)).JsonAsync();
            if (slip.GetProperty("accrual").GetString() == "accrued")
            {
                return slip;
            }

            await Task.Delay(200, timeout.Token);
        }
    }
}
