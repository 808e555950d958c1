using System.Net;
using FurnitureOps.Api.Auth;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary>Points holds over real HTTP: held points that redemptions cannot take, commit (a redemption), release, expiry.</summary>
[Collection(ApiDefinition.Name)]
public sealed class PointsHoldTests(ApiFixture api) : ApiTestBase(api)
{
    private readonly string _player = $"P-{Guid.NewGuid():N}";

    private string Loyalty => $"/v1/players/{_player}/loyalty";

    private string Holds => $"{Loyalty}/holds";

    [Fact]
    public async Task AHoldSetsPointsAsideThatRedemptionsCannotTake()
    {
        await AccrueAsync(100);

        var held = await Client.PostJsonAsync(Holds, new { points = 40, reference = "voucher-1" }, "hold-1");
        var tooMuch = await Client.PostJsonAsync($"{Loyalty}/redemptions", new { points = 61, reference = "r-1" }, "redeem-1");
        var rest = await Client.PostJsonAsync($"{Loyalty}/redemptions", new { points = 60, reference = "r-2" }, "redeem-2");

        Assert.Equal(HttpStatusCode.Created, held.StatusCode);
        var body = await held.JsonAsync();
        var id = body.GetProperty("holdId").GetString();
        Assert.Equal($"{Holds}/{id}", held.Headers.Location?.OriginalString);
        Assert.Equal(("held", 40L, "voucher-1"), (body.GetProperty("status").GetString(), body.GetProperty("points").GetInt64(),
            body.GetProperty("reference").GetString()));
        var expiresIn = body.GetProperty("expiresAt").GetDateTimeOffset() - DateTimeOffset.UtcNow;
        Assert.InRange(expiresIn, TimeSpan.FromSeconds(880), TimeSpan.FromSeconds(901));
        var entry = body.GetProperty("entry");
        Assert.Equal(("hold", 40L, 100L, 100L, 0L, 40L), (entry.GetProperty("operation").GetString(), entry.GetProperty("points").GetInt64(),
            entry.GetProperty("balanceBefore").GetInt64(), entry.GetProperty("balanceAfter").GetInt64(),
            entry.GetProperty("heldBefore").GetInt64(), entry.GetProperty("heldAfter").GetInt64()));
        Assert.Equal(60, (await tooMuch.AssertProblemAsync(409, "insufficient_points")).GetProperty("available").GetInt64());
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        Assert.Equal((40L, 40L, 0L), await BalanceAsync());
    }

    [Fact]
    public async Task AHundredConcurrentHoldsOfTenOnFiveHundredHoldExactlyFifty()
    {
        await AccrueAsync(500);

        var responses = await Task.WhenAll(Enumerable.Range(0, 100)
            .Select(i => Client.PostJsonAsync(Holds, new { points = 10 }, $"hold-{i}")));
        var redemption = await Client.PostJsonAsync($"{Loyalty}/redemptions", new { points = 1, reference = "after" }, "redeem-after");

        Assert.Equal(50, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(50, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(0, (await redemption.AssertProblemAsync(409, "insufficient_points")).GetProperty("available").GetInt64());
        Assert.Equal(50, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM loyalty_holds WHERE tenant_id = $1 AND player_id = $2 AND status = 'held'", Tenant, _player));
        Assert.Equal((500L, 500L, 0L), await BalanceAsync());
        await PlayerLedgerRows.AssertChainIntactAsync(Fixture.Database, Tenant, _player);
    }

    [Fact]
    public async Task ACommitRedeemsPartOfTheHoldReleasesTheRestAndAResendReplays()
    {
        await AccrueAsync(100);
        var id = await HoldAsync(50);

        var committed = await Client.PostJsonAsync($"{Holds}/{id}/commit", new { points = 30 }, "commit-1");
        var resend = await Client.PostJsonAsync($"{Holds}/{id}/commit", new { points = 30 }, "commit-1");

        Assert.Equal(HttpStatusCode.OK, committed.StatusCode);
        var body = await committed.JsonAsync();
        Assert.Equal(("committed", 30L), (body.GetProperty("status").GetString(), body.GetProperty("committedPoints").GetInt64()));
        var state = body.GetProperty("state");
        Assert.Equal((70L, 0L, 70L, 100L), (state.GetProperty("balance").GetInt64(), state.GetProperty("held").GetInt64(),
            state.GetProperty("available").GetInt64(), state.GetProperty("lifetimePoints").GetInt64()));
        Assert.Equal(await committed.Content.ReadAsStringAsync(), await resend.Content.ReadAsStringAsync());
        Assert.Equal("true", resend.Headers.GetValues("Idempotent-Replayed").Single());

        var ledger = await (await Client.GetAsync($"{Loyalty}/ledger")).JsonAsync();
        var last = ledger.GetProperty("entries").EnumerateArray().Last();
        Assert.Equal("hold_commit", last.GetProperty("operation").GetString());
        Assert.Equal((30L, 100L, 70L, 50L, 0L), (last.GetProperty("points").GetInt64(), last.GetProperty("balanceBefore").GetInt64(),
            last.GetProperty("balanceAfter").GetInt64(), last.GetProperty("heldBefore").GetInt64(), last.GetProperty("heldAfter").GetInt64()));
        Assert.Equal(id, last.GetProperty("sourceReference").GetString());
        Assert.Equal("committed", (await (await Client.GetAsync($"{Holds}/{id}")).JsonAsync()).GetProperty("status").GetString());
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND aggregate_id = $2 AND event_type = 'loyalty.points_hold_committed.v1'", Tenant, _player));
        await PlayerLedgerRows.AssertChainIntactAsync(Fixture.Database, Tenant, _player);
    }

    [Fact]
    public async Task ACommitOfAReleasedHoldIsRefusedWithItsStatusAndWritesNothing()
    {
        await AccrueAsync(100);
        var id = await HoldAsync(20);

        var released = await Client.PostJsonAsync($"{Holds}/{id}/release", new { }, "release-1");
        var rowsAfterRelease = await LedgerCountAsync();
        var commit = await Client.PostJsonAsync($"{Holds}/{id}/commit", new { }, "commit-1");
        var releaseAgain = await Client.PostJsonAsync($"{Holds}/{id}/release", new { }, "release-2");

        Assert.Equal("released", (await released.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal("released", (await commit.AssertProblemAsync(409, "hold_not_held")).GetProperty("holdStatus").GetString());
        await releaseAgain.AssertProblemAsync(409, "hold_not_held");
        Assert.Equal(rowsAfterRelease, await LedgerCountAsync());
        Assert.Equal((100L, 0L, 100L), await BalanceAsync());
    }

    [Fact]
    public async Task AHeldHoldExpiresOnceThroughTheSweeperAndALateCommitIsRefused()
    {
        await AccrueAsync(100);
        var id = await HoldAsync(30, expiresInSeconds: 1);

        await Poll.UntilAsync(async () =>
            (await (await Client.GetAsync($"{Holds}/{id}")).JsonAsync()).GetProperty("status").GetString() == "expired",
            "the sweeper expires the hold", TimeSpan.FromSeconds(30));
        var rowsAfterExpiry = await LedgerCountAsync();
        var commit = await Client.PostJsonAsync($"{Holds}/{id}/commit", new { }, "late-commit");

        Assert.Equal("expired", (await commit.AssertProblemAsync(409, "hold_not_held")).GetProperty("holdStatus").GetString());
        Assert.Equal(rowsAfterExpiry, await LedgerCountAsync());
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2 AND operation = 'hold_expire'", Tenant, _player));
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND aggregate_id = $2 AND event_type = 'loyalty.points_hold_expired.v1'", Tenant, _player));
        Assert.Equal("system:points-hold-expiry", await LedgerRows.ScalarTextAsync(Fixture.Database,
            "SELECT staff_id FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2 AND operation = 'hold_expire'", Tenant, _player));
        Assert.Equal((100L, 0L, 100L), await BalanceAsync());
        await PlayerLedgerRows.AssertChainIntactAsync(Fixture.Database, Tenant, _player);
    }

    [Fact]
    public async Task BadHoldRequestsAreRefusedAndWriteNothing()
    {
        await AccrueAsync(100);
        var before = await LedgerCountAsync();
        var otherPlayer = $"/v1/players/P-{Guid.NewGuid():N}/loyalty/holds";

        var tooLong = await Client.PostJsonAsync(Holds, new { points = 1, expiresInSeconds = 86_401 }, "bad-1");
        var zeroTime = await Client.PostJsonAsync(Holds, new { points = 1, expiresInSeconds = 0 }, "bad-2");
        var zero = await Client.PostJsonAsync(Holds, new { points = 0 }, "bad-3");
        var badPlayer = await Client.PostJsonAsync("/v1/players/not%20valid/loyalty/holds", new { points = 1 }, "bad-4");
        var notAnId = await Client.GetAsync($"{Holds}/not-a-uuid");
        var unknown = await Client.GetAsync($"{Holds}/{Guid.NewGuid()}");
        var commitUnknown = await Client.PostJsonAsync($"{Holds}/{Guid.NewGuid()}/commit", new { }, "bad-5");
        var untouched = await Client.PostJsonAsync(otherPlayer, new { points = 1 }, "bad-6");
        var withoutScope = await Fixture.Client(Tenant, Scopes.LoyaltyRead).PostJsonAsync(Holds, new { points = 1 }, "bad-7");
        var overCommit = await Client.PostJsonAsync($"{Holds}/{await HoldAsync(2)}/commit", new { points = 3 }, "bad-8");

        foreach (var invalid in new[] { tooLong, zeroTime, zero, badPlayer, notAnId })
        {
            await invalid.AssertProblemAsync(400, "validation_failed");
        }

        await unknown.AssertProblemAsync(404, "hold_not_found");
        await commitUnknown.AssertProblemAsync(404, "hold_not_found");
        Assert.Equal(0, (await untouched.AssertProblemAsync(409, "insufficient_points")).GetProperty("available").GetInt64());
        await withoutScope.AssertProblemAsync(403, "forbidden");
        Assert.Equal(2, (await overCommit.AssertProblemAsync(409, "commit_exceeds_hold")).GetProperty("held").GetInt64());
        Assert.Equal(before + 1, await LedgerCountAsync()); // only the hold of 2
        Assert.Equal(0, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM idempotency_records WHERE tenant_id = $1 AND key IN ('bad-1', 'bad-2', 'bad-3', 'bad-4', 'bad-6', 'bad-7')", Tenant));
        Assert.Equal(0, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM loyalty_players WHERE tenant_id = $1 AND player_id <> $2", Tenant, _player));
    }

    [Fact]
    public async Task EveryHoldEffectWritesItsLedgerAuditAndEventRowsAndTheDatabaseRefusesHeldAboveBalance()
    {
        await AccrueAsync(100);
        var released = await HoldAsync(20);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"{Holds}/{released}/release", new { }, "release-1")).StatusCode);
        var committed = await HoldAsync(30);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"{Holds}/{committed}/commit", new { }, "commit-1")).StatusCode);
        var stillHeld = await HoldAsync(10);

        var ledger = await LedgerCountAsync();
        var audit = await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND entity_type = 'player' AND entity_id = $2", Tenant, _player);
        var records = await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM idempotency_records WHERE tenant_id = $1 AND scope = 'player:' || $2", Tenant, _player);
        var events = await EventTypesAsync();
        var overHeld = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => LedgerRows.ExecuteAsync(Fixture.Database,
            $"UPDATE loyalty_players SET held = balance + 1 WHERE tenant_id = '{Tenant}' AND player_id = '{_player}'"));
        var rewrite = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => LedgerRows.ExecuteAsync(Fixture.Database,
            $"UPDATE loyalty_holds SET status = 'held', resolved_at = NULL WHERE tenant_id = '{Tenant}' AND hold_id = '{released}'"));

        Assert.Equal((6L, 6L, 6L), (ledger, audit, records));
        Assert.Equal(["loyalty.accrued.v1", "loyalty.points_held.v1", "loyalty.points_hold_released.v1",
            "loyalty.points_held.v1", "loyalty.points_hold_committed.v1", "loyalty.points_held.v1"], events);
        Assert.Equal("23514", overHeld.SqlState); // check_violation
        Assert.Contains("already released", rewrite.MessageText, StringComparison.Ordinal);
        Assert.Equal((70L, 10L, 60L), await BalanceAsync());
        Assert.Equal("held", (await (await Client.GetAsync($"{Holds}/{stillHeld}")).JsonAsync()).GetProperty("status").GetString());
        await PlayerLedgerRows.AssertChainIntactAsync(Fixture.Database, Tenant, _player);
    }

    private async Task AccrueAsync(long points)
    {
        var response = await Client.PostJsonAsync($"{Loyalty}/accruals", new { points, sourceType = "visit", sourceId = Guid.NewGuid().ToString("N") });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<string> HoldAsync(long points, int? expiresInSeconds = null)
    {
        var response = await Client.PostJsonAsync(Holds, new { points, expiresInSeconds }, $"hold-{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("holdId").GetString()!;
    }

    private async Task<(long Balance, long Held, long Available)> BalanceAsync()
    {
        var state = await (await Client.GetAsync(Loyalty)).JsonAsync();
        return (state.GetProperty("balance").GetInt64(), state.GetProperty("held").GetInt64(), state.GetProperty("available").GetInt64());
    }

    private Task<long> LedgerCountAsync() => LedgerRows.ScalarAsync(Fixture.Database,
        "SELECT count(*) FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2", Tenant, _player);

    private async Task<List<string>> EventTypesAsync()
    {
        var events = new List<string>();
        await using var command = Fixture.Database.CreateCommand(
            "SELECT event_type FROM outbox WHERE tenant_id = $1 AND aggregate_id = $2 ORDER BY aggregate_version");
        command.Parameters.Add(new() { Value = Tenant });
        command.Parameters.Add(new() { Value = _player });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(reader.GetString(0));
        }

        return events;
    }
}
