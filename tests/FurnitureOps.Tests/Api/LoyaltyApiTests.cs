using System.Net;
using FurnitureOps.Api.Auth;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

[Collection(ApiDefinition.Name)]
public sealed class LoyaltyApiTests(ApiFixture api) : ApiTestBase(api)
{
    private readonly string _player = $"P-{Guid.NewGuid():N}";

    private string Loyalty => $"/v1/players/{_player}/loyalty";

    [Fact]
    public async Task UntouchedPlayerIs404PlayerNotFound()
    {
        var response = await Client.GetAsync(Loyalty);

        await response.AssertProblemAsync(404, "player_not_found");
    }

    [Fact]
    public async Task AccrualAnswersEntryAndStateAndTheSameSourceIsDeduplicatedUnderAnotherKey()
    {
        var first = await Client.PostJsonAsync($"{Loyalty}/accruals", new { points = 1500, sourceType = "visit", sourceId = "sale-7" }, "a-1");
        var retry = await Client.PostJsonAsync($"{Loyalty}/accruals", new { points = 1500, sourceType = "visit", sourceId = "sale-7" }, "a-2");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var body = await first.JsonAsync();
        Assert.False(body.GetProperty("deduplicated").GetBoolean());
        Assert.Equal(1500, body.GetProperty("entry").GetProperty("balanceAfter").GetInt64());
        Assert.Equal("visit:sale-7", body.GetProperty("entry").GetProperty("sourceReference").GetString());
        Assert.Equal("silver", body.GetProperty("state").GetProperty("tier").GetString());
        Assert.Equal(0.125, body.GetProperty("state").GetProperty("tierProgress").GetDouble(), precision: 6);
        var again = await retry.JsonAsync();
        Assert.True(again.GetProperty("deduplicated").GetBoolean());
        Assert.Equal(body.GetProperty("entry").ToString(), again.GetProperty("entry").ToString());
        Assert.Equal(1500, (await (await Client.GetAsync(Loyalty)).JsonAsync()).GetProperty("balance").GetInt64());
    }

    [Fact]
    public async Task LoyaltyCommandsFollowTheIdempotencyKeyRules()
    {
        var first = await Client.PostJsonAsync($"{Loyalty}/accruals", new { points = 10, sourceType = "visit", sourceId = "k-1" }, "same-key");
        var replay = await Client.PostJsonAsync($"{Loyalty}/accruals", new { points = 10, sourceType = "visit", sourceId = "k-1" }, "same-key");
        var reused = await Client.PostJsonAsync($"{Loyalty}/accruals", new { points = 11, sourceType = "visit", sourceId = "k-2" }, "same-key");
        var missing = await Client.SendJsonAsync(HttpMethod.Post, $"{Loyalty}/redemptions", new { points = 1, reference = "v" }, idempotencyKey: null);

        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        await reused.AssertProblemAsync(409, "idempotency_key_reused");
        await missing.AssertProblemAsync(400, "idempotency_key_missing");
    }

    [Fact]
    public async Task RedemptionBeyondBalanceIs409InsufficientPointsWithAvailable()
    {
        await Client.PostJsonAsync($"{Loyalty}/accruals", new { points = 40, sourceType = "visit", sourceId = "s1" });

        var response = await Client.PostJsonAsync($"{Loyalty}/redemptions", new { points = 41, reference = "voucher-1" });

        var problem = await response.AssertProblemAsync(409, "insufficient_points");
        Assert.Equal(40, problem.GetProperty("available").GetInt64());
    }

    [Fact]
    public async Task RewardRecordsTheTokensSubjectAsStaff()
    {
        var response = await Client.PostJsonAsync($"{Loyalty}/rewards", new { points = 25, reason = "service recovery" });

        var entry = (await response.JsonAsync()).GetProperty("entry");
        Assert.Equal("staff-1", entry.GetProperty("staffId").GetString());
        Assert.Equal("reward", entry.GetProperty("operation").GetString());
        Assert.Equal("service recovery", entry.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task RewardWithoutTheAwardScopeIs403()
    {
        var client = Fixture.Client(Tenant, Scopes.LoyaltyAccrue, Scopes.LoyaltyRead);

        var response = await client.PostJsonAsync($"{Loyalty}/rewards", new { points = 5, reason = "nice" });

        await response.AssertProblemAsync(403, "forbidden");
    }

    [Fact]
    public async Task StaffIdInTheBodyIs400()
    {
        var response = await Client.PostJsonAsync($"{Loyalty}/rewards", new { points = 5, reason = "nice", staffId = "someone-else" });

        var problem = await response.AssertProblemAsync(400, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("staffId", out _));
        await (await Client.GetAsync(Loyalty)).AssertProblemAsync(404, "player_not_found");
    }

    [Fact]
    public async Task RewardAboveTheLimitIs400RewardExceedsLimit()
    {
        var response = await Client.PostJsonAsync($"{Loyalty}/rewards", new { points = 10_001, reason = "too generous" });

        var problem = await response.AssertProblemAsync(400, "reward_exceeds_limit");
        Assert.Equal(10_000, problem.GetProperty("limit").GetInt64());
    }

    [Fact]
    public async Task RewardsPastTheStaffBudgetAre429WithRetryAfterAndNotStored()
    {
        for (var i = 0; i < ApiFixture.ManualRewardsPerMinute; i++)
        {
            var allowed = await Client.PostJsonAsync($"{Loyalty}/rewards", new { points = 1, reason = $"r{i}" });
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        var limited = await Client.PostJsonAsync($"{Loyalty}/rewards", new { points = 1, reason = "one too many" }, "over-budget");

        await limited.AssertProblemAsync(429, "rate_limited");
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(0, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM idempotency_records WHERE tenant_id = $1 AND key = 'over-budget'", Tenant));
        var otherStaff = Fixture.Api.CreateClient();
        otherStaff.DefaultRequestHeaders.Authorization = new("Bearer", Fixture.Token(Tenant, [], subject: "staff-2"));
        Assert.Equal(HttpStatusCode.OK, (await otherStaff.PostJsonAsync($"{Loyalty}/rewards", new { points = 1, reason = "other staff" })).StatusCode);
    }

    [Fact]
    public async Task LedgerListsEntriesWithBalancesTiersStaffAndCorrelation()
    {
        await Client.PostJsonAsync($"{Loyalty}/accruals", new { points = 100, sourceType = "visit", sourceId = "s1" });
        await Client.PostJsonAsync($"{Loyalty}/redemptions", new { points = 30, reference = "voucher-9" });

        var page = await (await Client.GetAsync($"{Loyalty}/ledger")).JsonAsync();

        var entries = page.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["accrue", "redeem"], entries.Select(e => e.GetProperty("operation").GetString()));
        var redeem = entries[1];
        Assert.Equal((30L, 100L, 70L, 100L), (redeem.GetProperty("points").GetInt64(), redeem.GetProperty("balanceBefore").GetInt64(),
            redeem.GetProperty("balanceAfter").GetInt64(), redeem.GetProperty("lifetimeAfter").GetInt64()));
        Assert.Equal(("bronze", "bronze"), (redeem.GetProperty("tierBefore").GetString(), redeem.GetProperty("tierAfter").GetString()));
        Assert.Equal("voucher-9", redeem.GetProperty("sourceReference").GetString());
        Assert.False(string.IsNullOrEmpty(redeem.GetProperty("correlationId").GetString()));
    }
}
