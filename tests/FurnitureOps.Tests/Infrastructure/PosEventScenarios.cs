using System.Net;
using FurnitureOps.Api.Pos;
using Npgsql;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>
/// POS events left where only an operator moves them on, for the API's tests and the console's: one that needs
/// attention (a refused compensation) and a pending one held back from the sweeper.
/// </summary>
public static class PosEventScenarios
{
    /// <summary>A POS event's body, dated in the past, with the given lines.</summary>
    public static object Event(string type, IEnumerable<(string Sku, long Quantity)> lines, string? playerId = null, decimal? amount = null,
        string source = "till-1") => new
    {
        source,
        type,
        occurredAt = "2026-11-20T10:00:00Z",
        lines = lines.Select(line => new { sku = line.Sku, quantity = line.Quantity }).ToArray(),
        playerId,
        amount,
    };

    /// <summary>
    /// A sale of the one unit of <paramref name="sku"/> on hand, then a return from till-1 of that unit and of one of a
    /// SKU that does not exist.
    /// The second line is refused, so the first is undone with a sale; that sale fails until the returned unit has
    /// been sold to someone else, and is then refused for want of stock, so the event ends needing attention.
    /// </summary>
    /// <returns>The event's id, once it needs attention.</returns>
    public static async Task<Guid> NeedsAttentionAsync(NpgsqlDataSource database, HttpClient client, string tenant, string sku, string key)
    {
        Assert.Equal(HttpStatusCode.OK, (await client.PostJsonAsync($"/v1/inventory/{sku}/sales", new { quantity = 1 })).StatusCode);
        var eventId = PosApi.EventIdFor(tenant, "till-1", key);
        await using (await InjectedWriteFailure.ForSkuSalesAsync(database, sku, $"pos:{eventId}"))
        {
            var accepted = await client.SendJsonAsync(HttpMethod.Post, "/v1/pos/events",
                Event("return", [(sku, 1), ($"SKU-missing-{Guid.NewGuid():N}", 1)]), key);
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
            Assert.Equal(1, await LedgerRows.OnHandAsync(database, tenant, sku));
            await SellUntilAnsweredAsync(client, sku, $"sold-meanwhile-{key}");
        }

        await Poll.UntilAsync(async () => (await (await client.GetAsync($"/v1/pos/events/{eventId}")).JsonAsync())
            .GetProperty("status").GetString() == "needsAttention", "the return needs attention");
        return eventId;
    }

    /// <summary>
    /// Moves the event's next attempt an hour out, as a long backoff would, so the sweeper leaves it to the test. Only
    /// while no sweeper's resume is running: a claimed row's next attempt is its lease's end (a minute away), further
    /// out than any backoff here (2 s ± 20 %), so the update waits until the resume has saved its failed attempt.
    /// </summary>
    public static Task PostponeNextAttemptAsync(NpgsqlDataSource database, string tenant, string eventId) => Poll.UntilAsync(
        async () => await LedgerRows.ScalarAsync(database,
            """
            WITH postponed AS (
                UPDATE pos_events SET next_attempt_at = now() + interval '1 hour'
                WHERE tenant_id = $1 AND event_id = $2 AND next_attempt_at < now() + interval '10 seconds'
                RETURNING 1)
            SELECT count(*) FROM postponed
            """, tenant, eventId) == 1,
        "the event's next attempt is postponed between two of the sweeper's resumes");

    /// <summary>A sale under one key, resent while the saga's failing transactions (which it may share) answer 503.</summary>
    private static async Task SellUntilAnsweredAsync(HttpClient client, string sku, string key)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var response = await client.SendJsonAsync(HttpMethod.Post, $"/v1/inventory/{sku}/sales", new { quantity = 1 }, key);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            await Task.Delay(100, timeout.Token);
        }
    }
}
