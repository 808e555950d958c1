using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary>Stock reservations over real HTTP: held stock that sales cannot take, commit, release, expiry, stock-takes.</summary>
[Collection(ApiDefinition.Name)]
public sealed class ReservationTests(ApiFixture api) : ApiTestBase(api)
{
    private string Reservations => $"/v1/inventory/{Sku}/reservations";

    [Fact]
    public async Task AReservationHoldsStockThatSalesCannotTake()
    {
        await CreateSkuAsync(onHand: 10);

        var reserved = await Client.PostJsonAsync(Reservations, new { quantity = 4, reference = "cart-1" }, "hold-1");
        var tooMuch = await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 7 }, "sale-1");
        var rest = await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 6 }, "sale-2");

        Assert.Equal(HttpStatusCode.Created, reserved.StatusCode);
        var body = await reserved.JsonAsync();
        var id = body.GetProperty("reservationId").GetString();
        Assert.Equal($"{Reservations}/{id}", reserved.Headers.Location?.OriginalString);
        Assert.Equal("held", body.GetProperty("status").GetString());
        Assert.Equal(4, body.GetProperty("quantity").GetInt64());
        var expiresIn = body.GetProperty("expiresAt").GetDateTimeOffset() - DateTimeOffset.UtcNow;
        Assert.InRange(expiresIn, TimeSpan.FromSeconds(880), TimeSpan.FromSeconds(901));
        var problem = await tooMuch.AssertProblemAsync(409, "insufficient_stock");
        Assert.Equal(6, problem.GetProperty("available").GetInt64());
        Assert.Equal(HttpStatusCode.OK, rest.StatusCode);
        var item = await (await Client.GetAsync($"/v1/inventory/{Sku}")).JsonAsync();
        Assert.Equal((4L, 4L, 0L), (item.GetProperty("onHand").GetInt64(), item.GetProperty("reserved").GetInt64(), item.GetProperty("available").GetInt64()));
    }

    [Fact]
    public async Task AHundredConcurrentReservationsOfOneOnFiftyHoldExactlyFifty()
    {
        await CreateSkuAsync(onHand: 50);

        var responses = await Task.WhenAll(Enumerable.Range(0, 100)
            .Select(i => Client.PostJsonAsync(Reservations, new { quantity = 1 }, $"hold-{i}")));
        var sale = await Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 1 }, "sale-after");

        Assert.Equal(50, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(50, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(0, (await sale.AssertProblemAsync(409, "insufficient_stock")).GetProperty("available").GetInt64());
        Assert.Equal(50, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM inventory_reservations WHERE tenant_id = $1 AND sku = $2 AND status = 'held'", Tenant, Sku));
        Assert.Equal(50, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT reserved FROM inventory_items WHERE tenant_id = $1 AND sku = $2", Tenant, Sku));
    }

    [Fact]
    public async Task ReservationsAndSalesRacingNeverTakeMoreThanOnHand()
    {
        await CreateSkuAsync(onHand: 30);

        var calls = Enumerable.Range(0, 80).Select(i => i % 2 == 0
            ? Client.PostJsonAsync(Reservations, new { quantity = 1 }, $"hold-{i}")
            : Client.PostJsonAsync($"/v1/inventory/{Sku}/sales", new { quantity = 1 }, $"sale-{i}"));
        var responses = await Task.WhenAll(calls);

        var taken = responses.Count(r => r.IsSuccessStatusCode);
        Assert.Equal(30, taken);
        Assert.Equal(50, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var item = await (await Client.GetAsync($"/v1/inventory/{Sku}")).JsonAsync();
        Assert.Equal(30, item.GetProperty("sold").GetInt64() + item.GetProperty("reserved").GetInt64());
        Assert.Equal(0, item.GetProperty("available").GetInt64());
        await LedgerRows.AssertChainIntactAsync(Fixture.Database, Tenant, Sku);
    }

    [Fact]
    public async Task ACommitSellsPartOfTheHoldReleasesTheRestAndAResendReplays()
    {
        await CreateSkuAsync(onHand: 10);
        var id = await ReserveAsync(5);

        var committed = await Client.PostJsonAsync($"{Reservations}/{id}/commit", new { quantity = 3 }, "commit-1");
        var resend = await Client.PostJsonAsync($"{Reservations}/{id}/commit", new { quantity = 3 }, "commit-1");

        Assert.Equal(HttpStatusCode.OK, committed.StatusCode);
        var body = await committed.JsonAsync();
        Assert.Equal(("committed", 3L), (body.GetProperty("status").GetString(), body.GetProperty("committedQuantity").GetInt64()));
        var item = body.GetProperty("item");
        Assert.Equal((7L, 3L, 0L, 7L), (item.GetProperty("onHand").GetInt64(), item.GetProperty("sold").GetInt64(),
            item.GetProperty("reserved").GetInt64(), item.GetProperty("available").GetInt64()));
        Assert.Equal(await committed.Content.ReadAsStringAsync(), await resend.Content.ReadAsStringAsync());
        Assert.Equal("true", resend.Headers.GetValues("Idempotent-Replayed").Single());

        var ledger = await (await Client.GetAsync($"/v1/inventory/{Sku}/ledger")).JsonAsync();
        var last = ledger.GetProperty("entries").EnumerateArray().Last();
        Assert.Equal("reservation_commit", last.GetProperty("op").GetString());
        Assert.Equal((3L, 10L, 7L, 5L, 0L), (last.GetProperty("quantity").GetInt64(), last.GetProperty("onHandBefore").GetInt64(),
            last.GetProperty("onHandAfter").GetInt64(), last.GetProperty("reservedBefore").GetInt64(), last.GetProperty("reservedAfter").GetInt64()));
        var read = await (await Client.GetAsync($"{Reservations}/{id}")).JsonAsync();
        Assert.Equal("committed", read.GetProperty("status").GetString());
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND aggregate_id = $2 AND event_type = 'inventory.reservation_committed.v1'", Tenant, Sku));
    }

    [Fact]
    public async Task ACommitOfAReleasedReservationIsRefusedWithItsStatusAndWritesNothing()
    {
        await CreateSkuAsync(onHand: 10);
        var id = await ReserveAsync(2);

        var released = await Client.PostJsonAsync($"{Reservations}/{id}/release", new { }, "release-1");
        var rowsAfterRelease = await CountRowsAsync();
        var commit = await Client.PostJsonAsync($"{Reservations}/{id}/commit", new { }, "commit-1");
        var releaseAgain = await Client.PostJsonAsync($"{Reservations}/{id}/release", new { }, "release-2");

        Assert.Equal("released", (await released.JsonAsync()).GetProperty("status").GetString());
        Assert.Equal("released", (await commit.AssertProblemAsync(409, "reservation_not_held")).GetProperty("reservationStatus").GetString());
        await releaseAgain.AssertProblemAsync(409, "reservation_not_held");
        Assert.Equal(rowsAfterRelease.Ledger, (await CountRowsAsync()).Ledger);
        var item = await (await Client.GetAsync($"/v1/inventory/{Sku}")).JsonAsync();
        Assert.Equal((10L, 0L), (item.GetProperty("available").GetInt64(), item.GetProperty("sold").GetInt64()));
    }

    [Fact]
    public async Task AHeldReservationExpiresOnceByItselfAfterItsTime()
    {
        await CreateSkuAsync(onHand: 10);
        var id = await ReserveAsync(3, expiresInSeconds: 1);

        await Poll.UntilAsync(async () =>
            (await (await Client.GetAsync($"{Reservations}/{id}")).JsonAsync()).GetProperty("status").GetString() == "expired",
            "the sweeper expires the reservation", TimeSpan.FromSeconds(30));
        var commit = await Client.PostJsonAsync($"{Reservations}/{id}/commit", new { }, "late-commit");

        Assert.Equal("expired", (await commit.AssertProblemAsync(409, "reservation_not_held")).GetProperty("reservationStatus").GetString());
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2 AND operation = 'reservation_expire'", Tenant, Sku));
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND aggregate_id = $2 AND event_type = 'inventory.reservation_expired.v1'", Tenant, Sku));
        Assert.Equal("system:reservation-expiry", await LedgerRows.ScalarTextAsync(Fixture.Database,
            "SELECT actor FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2 AND operation = 'reservation_expire'", Tenant, Sku));
        var item = await (await Client.GetAsync($"/v1/inventory/{Sku}")).JsonAsync();
        Assert.Equal((0L, 10L), (item.GetProperty("reserved").GetInt64(), item.GetProperty("available").GetInt64()));
    }

    [Fact]
    public async Task AStockTakeBelowWhatIsReservedIsRefusedUnlessItReleasesTheHolds()
    {
        await CreateSkuAsync(onHand: 10);
        var id = await ReserveAsync(6);

        var refused = await Client.SendJsonAsync(HttpMethod.Patch, $"/v1/inventory/{Sku}", new { onHand = 4, reason = "count" }, "count-1");
        var released = await Client.SendJsonAsync(HttpMethod.Patch, $"/v1/inventory/{Sku}", new { onHand = 4, reason = "count", holds = "release" }, "count-2");

        Assert.Equal(6, (await refused.AssertProblemAsync(409, "reservations_exceed_stock")).GetProperty("reserved").GetInt64());
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        var item = await released.JsonAsync();
        Assert.Equal((4L, 0L), (item.GetProperty("onHand").GetInt64(), item.GetProperty("reserved").GetInt64()));
        Assert.Equal("released", (await (await Client.GetAsync($"{Reservations}/{id}")).JsonAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task BadReservationRequestsAreRefusedAndWriteNothing()
    {
        await CreateSkuAsync(onHand: 10);
        var before = await CountRowsAsync();

        var tooLong = await Client.PostJsonAsync(Reservations, new { quantity = 1, expiresInSeconds = 86_401 }, "bad-1");
        var zero = await Client.PostJsonAsync(Reservations, new { quantity = 0 }, "bad-2");
        var notAnId = await Client.GetAsync($"{Reservations}/not-a-uuid");
        var unknown = await Client.GetAsync($"{Reservations}/{Guid.NewGuid()}");
        var commitUnknown = await Client.PostJsonAsync($"{Reservations}/{Guid.NewGuid()}/commit", new { }, "bad-3");
        var overCommit = await Client.PostJsonAsync($"{Reservations}/{await ReserveAsync(2)}/commit", new { quantity = 3 }, "bad-4");

        await tooLong.AssertProblemAsync(400, "validation_failed");
        await zero.AssertProblemAsync(400, "validation_failed");
        await notAnId.AssertProblemAsync(400, "validation_failed");
        await unknown.AssertProblemAsync(404, "reservation_not_found");
        await commitUnknown.AssertProblemAsync(404, "reservation_not_found");
        Assert.Equal(2, (await overCommit.AssertProblemAsync(409, "commit_exceeds_reservation")).GetProperty("held").GetInt64());
        Assert.Equal(before.Ledger + 1, (await CountRowsAsync()).Ledger); // only the reservation of 2
    }

    [Fact]
    public async Task EveryReservationEffectWritesItsLedgerAuditAndEventRowsAndTheDatabaseHoldsTheInvariants()
    {
        await CreateSkuAsync(onHand: 10);
        var released = await ReserveAsync(2);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"{Reservations}/{released}/release", new { }, "release-1")).StatusCode);
        var committed = await ReserveAsync(3);
        Assert.Equal(HttpStatusCode.OK, (await Client.PostJsonAsync($"{Reservations}/{committed}/commit", new { }, "commit-1")).StatusCode);

        var counts = await CountRowsAsync();
        var events = new List<string>();
        await using (var command = Fixture.Database.CreateCommand(
            "SELECT event_type FROM outbox WHERE tenant_id = $1 AND aggregate_id = $2 ORDER BY aggregate_version"))
        {
            command.Parameters.Add(new() { Value = Tenant });
            command.Parameters.Add(new() { Value = Sku });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                events.Add(reader.GetString(0));
            }
        }

        var overReserved = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => LedgerRows.ExecuteAsync(Fixture.Database,
            $"UPDATE inventory_items SET reserved = on_hand + 1 WHERE tenant_id = '{Tenant}' AND sku = '{Sku}'"));

        Assert.Equal((5L, 5L, 5L), (counts.Ledger, counts.Audit, counts.Outbox));
        Assert.Equal(["inventory.created.v1", "inventory.reserved.v1", "inventory.reservation_released.v1",
            "inventory.reserved.v1", "inventory.reservation_committed.v1"], events);
        Assert.Equal("23514", overReserved.SqlState); // check_violation
        await LedgerRows.AssertChainIntactAsync(Fixture.Database, Tenant, Sku);
    }

    private async Task<string> ReserveAsync(long quantity, int? expiresInSeconds = null)
    {
        var response = await Client.PostJsonAsync(Reservations, new { quantity, expiresInSeconds }, $"hold-{Guid.NewGuid():N}");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("reservationId").GetString()!;
    }
}
