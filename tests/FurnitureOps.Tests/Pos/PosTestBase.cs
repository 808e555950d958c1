using System.Net;
using System.Text.Json;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Pos;

/// <summary>A fresh tenant per test, helpers to create stock and to post and follow POS events.</summary>
public abstract class PosTestBase(ApiFixture api)
{
    protected ApiFixture Fixture { get; } = api;

    protected string Tenant { get; } = $"t-{Guid.NewGuid():N}";

    protected HttpClient Client => field ??= Fixture.Client(Tenant);

    protected static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 33)];

    protected async Task<string> CreateSkuAsync(long onHand, HttpClient? client = null)
    {
        var sku = NewId("SKU");
        var response = await (client ?? Client).PostJsonAsync("/v1/inventory", new { sku, name = "Oak chair", onHand });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return sku;
    }

    protected static object Event(string type, IEnumerable<(string Sku, long Quantity)> lines, string? playerId = null, decimal? amount = null,
        string source = "till-1") => PosEventScenarios.Event(type, lines, playerId, amount, source);

    protected Task<HttpResponseMessage> PostEventAsync(object body, string? key, HttpClient? client = null) =>
        (client ?? Client).SendJsonAsync(HttpMethod.Post, "/v1/pos/events", body, key);

    /// <summary>Polls the event until its saga has finished (bounded), and returns it.</summary>
    protected Task<JsonElement> FinishedEventAsync(string eventId, HttpClient? client = null) =>
        EventInStatusAsync(eventId, ["applied", "rejected", "needsAttention"], client);

    /// <summary>Polls the event until it is in one of <paramref name="statuses"/> (bounded at 30 s), and returns it.</summary>
    protected async Task<JsonElement> EventInStatusAsync(string eventId, string[] statuses, HttpClient? client = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var view = await (await (client ?? Client).GetAsync($"/v1/pos/events/{eventId}", timeout.Token)).JsonAsync();
            if (statuses.Contains(view.GetProperty("status").GetString()))
            {
                return view;
            }

            await Task.Delay(100, timeout.Token);
        }
    }

    protected Task<long> OnHandAsync(string sku) => LedgerRows.OnHandAsync(Fixture.Database, Tenant, sku);

    protected Task<long> BalanceAsync(string playerId) => LedgerRows.ScalarAsync(Fixture.Database,
        "SELECT coalesce((SELECT balance FROM loyalty_players WHERE tenant_id = $1 AND player_id = $2), 0)", Tenant, playerId);
}
