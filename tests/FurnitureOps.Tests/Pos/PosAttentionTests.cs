using System.Net;
using System.Text.RegularExpressions;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Pos;

/// <summary>
/// A POS return whose second line is refused undoes its first line with a sale; when that sale is refused too
/// (the returned unit was sold meanwhile), the event ends needing attention, never rejected: it is listed for
/// operators, counted in a gauge, and resolved once by an operator, with an audit row and an event.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class PosAttentionTests(ApiFixture api) : PosTestBase(api)
{
    [Fact]
    public async Task ARefusedCompensationNeedsAttentionUntilAnOperatorResolvesItOnce()
    {
        var sku = await CreateSkuAsync(1);
        var eventId = await PosEventScenarios.NeedsAttentionAsync(Fixture.Database, Client, Tenant, sku, "return-1");

        var view = await EventInStatusAsync(eventId.ToString(), ["needsAttention"]);
        Assert.Equal(0, await OnHandAsync(sku));
        var compensation = view.GetProperty("steps").EnumerateArray().Single(step => step.GetProperty("kind").GetString() == "compensateLine");
        Assert.Equal(("refused", "insufficient_stock"), (compensation.GetProperty("status").GetString(), compensation.GetProperty("code").GetString()));
        var listed = Assert.Single((await (await Client.GetAsync("/v1/pos/attention")).JsonAsync()).GetProperty("events").EnumerateArray());
        Assert.Equal((eventId.ToString(), "insufficient_stock"), (listed.GetProperty("eventId").GetString(), listed.GetProperty("reason").GetString()));
        await Poll.UntilAsync(async () => Regex.IsMatch(await MetricsAsync(), @"(?m)^pos_events_needing_attention(\{[^}]*\})? [1-9]"),
            "the gauge counts the event");

        var resolved = await Client.PostJsonAsync($"/v1/pos/events/{eventId}/resolve", new { note = "counted, adjusted; ticket 17" }, "resolve-1");
        var again = await Client.PostJsonAsync($"/v1/pos/events/{eventId}/resolve", new { note = "counted, adjusted; ticket 17" }, "resolve-1");
        var other = await Client.PostJsonAsync($"/v1/pos/events/{eventId}/resolve", new { note = "me too" }, "resolve-2");

        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var body = await resolved.JsonAsync();
        Assert.Equal("resolved", body.GetProperty("status").GetString());
        Assert.Equal("counted, adjusted; ticket 17", body.GetProperty("resolution").GetProperty("note").GetString());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        await other.AssertProblemAsync(409, "pos_event_not_needing_attention");
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND entity_type = 'pos_event' AND entity_id = $2 AND action = 'pos.event_resolved'",
            Tenant, eventId.ToString()));
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND aggregate_id = $2 AND event_type = 'pos.event_resolved.v1'", Tenant, eventId.ToString()));
        Assert.Equal(1, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND aggregate_id = $2 AND event_type = 'pos.event_needs_attention.v1'", Tenant, eventId.ToString()));
        Assert.Empty((await (await Client.GetAsync("/v1/pos/attention")).JsonAsync()).GetProperty("events").EnumerateArray());
    }

    [Fact]
    public async Task AnEventThatDoesNotNeedAttentionCannotBeResolved()
    {
        var sku = await CreateSkuAsync(5);
        var accepted = await (await PostEventAsync(Event("sale", [(sku, 1)]), "sale-1")).JsonAsync();
        var eventId = accepted.GetProperty("eventId").GetString();

        var refused = await Client.PostJsonAsync($"/v1/pos/events/{eventId}/resolve", new { note = "nothing to do" });
        var unknown = await Client.PostJsonAsync($"/v1/pos/events/{Guid.NewGuid()}/resolve", new { note = "nothing to do" });
        var empty = await Client.PostJsonAsync($"/v1/pos/events/{eventId}/resolve", new { note = "" });

        await refused.AssertProblemAsync(409, "pos_event_not_needing_attention");
        await unknown.AssertProblemAsync(404, "not_found");
        await empty.AssertProblemAsync(400, "validation_failed");
        Assert.Equal("applied", (await FinishedEventAsync(eventId!)).GetProperty("status").GetString());
        Assert.Equal(0, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND entity_type = 'pos_event'", Tenant));
    }

    private async Task<string> MetricsAsync()
    {
        using var scraper = new HttpClient();
        return await scraper.GetStringAsync($"{Fixture.Silo.Urls.First()}/metrics");
    }
}
