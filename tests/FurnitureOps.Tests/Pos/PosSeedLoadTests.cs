using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Pos;

/// <summary>
/// The seeds' load check against POS intake: 2,000 deliveries of 400 distinct events at 75 concurrency. Each
/// event is delivered five times, shuffled, so repeats race the first delivery.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed partial class PosSeedLoadTests(ApiFixture api) : PosTestBase(api)
{
    private const int Events = 400;
    private const int DeliveriesPerEvent = 5;
    private const int Concurrency = 75;
    private const int Skus = 8;
    private const int Players = 20;

    [Fact]
    public async Task TwoThousandDeliveriesOf400EventsApplyEachEventExactlyOnce()
    {
        var skus = new List<string>();
        for (var i = 0; i < Skus; i++)
        {
            skus.Add(await CreateSkuAsync(onHand: 1_000));
        }

        var players = Enumerable.Range(0, Players).Select(_ => NewId("P")).ToList();
        var events = Enumerable.Range(0, Events).Select(i => (
            Key: $"receipt-{i}",
            Sku: skus[i % Skus],
            Quantity: 1 + (i % 3),
            Player: players[i % Players],
            Amount: 10m + i)).ToList();
        var deliveries = events.SelectMany(e => Enumerable.Repeat(e, DeliveriesPerEvent)).OrderBy(_ => Random.Shared.Next()).ToList();

        // 75 terminals, each its own principal (rate limits are per tenant and subject), sharing the deliveries.
        var queue = new ConcurrentQueue<(string Key, string Sku, int Quantity, string Player, decimal Amount)>(deliveries);
        var statuses = new ConcurrentBag<(string Key, HttpStatusCode Status, string? EventId)>();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(terminal => Task.Run(async () =>
        {
            var client = Fixture.Api.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", Fixture.Token(Tenant, ["pos:ingest", "pos:read"], subject: $"till-{terminal}"));
            while (queue.TryDequeue(out var e))
            {
                var response = await PostEventAsync(Event("sale", [(e.Sku, e.Quantity)], e.Player, e.Amount), e.Key, client);
                var eventId = response.StatusCode == HttpStatusCode.Created ? (await response.JsonAsync()).GetProperty("eventId").GetString() : null;
                statuses.Add((e.Key, response.StatusCode, eventId));
            }
        })));

        Assert.Equal(Events * DeliveriesPerEvent, statuses.Count);
        Assert.Equal("Created, NoContent", string.Join(", ", statuses.Select(s => s.Status).Distinct().Order()));
        Assert.All(events, e => Assert.Single(statuses, s => s.Key == e.Key && s.Status == HttpStatusCode.Created));
        Assert.Equal(Events * (DeliveriesPerEvent - 1), statuses.Count(s => s.Status == HttpStatusCode.NoContent));

        foreach (var created in statuses.Where(s => s.EventId is not null))
        {
            Assert.Equal("applied", (await FinishedEventAsync(created.EventId!)).GetProperty("status").GetString());
        }

        foreach (var sku in skus)
        {
            var sold = events.Where(e => e.Sku == sku).Sum(e => e.Quantity);
            Assert.Equal(1_000 - sold, await OnHandAsync(sku));
            Assert.Equal(events.Count(e => e.Sku == sku), await LedgerRows.ScalarAsync(Fixture.Database,
                "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2 AND operation = 'sell'", Tenant, sku));
        }

        foreach (var player in players)
        {
            Assert.Equal((long)events.Where(e => e.Player == player).Sum(e => Math.Floor(e.Amount)), await BalanceAsync(player));
        }

        Assert.Equal(Events, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM loyalty_ledger WHERE tenant_id = $1 AND operation = 'accrue'", Tenant));
        Assert.Equal(Events * (DeliveriesPerEvent - 1), await DedupCounterAsync());
    }

    private async Task<long> DedupCounterAsync()
    {
        var metrics = await Fixture.AnonymousClient().GetStringAsync("/metrics");
        var line = metrics.Split('\n').Single(l => l.StartsWith("ingest_dedup_total{", StringComparison.Ordinal) && l.Contains($"tenant=\"{Tenant}\"", StringComparison.Ordinal));
        return long.Parse(DedupValue().Match(line).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\} (\d+)")]
    private static partial Regex DedupValue();
}
