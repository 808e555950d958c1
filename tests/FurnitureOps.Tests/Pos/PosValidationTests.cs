using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Pos;

/// <summary>Bad POS input is 400 problem+json naming the field, and nothing is accepted.</summary>
[Collection(ApiDefinition.Name)]
public sealed class PosValidationTests(ApiFixture api) : PosTestBase(api)
{
    public static TheoryData<string, string> BadBodies => new()
    {
        { """{"source":"till-1","type":"refund","occurredAt":"2026-11-20T10:00:00Z","lines":[{"sku":"A","quantity":1}]}""", "Type" },
        { """{"source":"till 1","type":"sale","occurredAt":"2026-11-20T10:00:00Z","lines":[{"sku":"A","quantity":1}]}""", "Source" },
        { """{"source":"till-1","type":"sale","occurredAt":"2026-11-20T10:00:00Z","lines":[]}""", "Lines" },
        { """{"source":"till-1","type":"sale","lines":[{"sku":"A","quantity":1}]}""", "OccurredAt" },
        { """{"source":"till-1","type":"sale","occurredAt":"2026-11-20T10:00:00Z","lines":[{"sku":"A","quantity":0}]}""", "Quantity" },
        { """{"source":"till-1","type":"sale","occurredAt":"2026-11-20T10:00:00Z","lines":[{"sku":"no spaces","quantity":1}]}""", "Sku" },
        { """{"source":"till-1","type":"sale","occurredAt":"2026-11-20T10:00:00Z","lines":[{"sku":"A","quantity":1}],"amount":-1}""", "Amount" },
        { """{"source":"till-1","type":"sale","occurredAt":"2099-01-01T00:00:00Z","lines":[{"sku":"A","quantity":1}]}""", "occurredAt" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadEventsAre400AndAcceptNothing(string body, string field)
    {
        var key = $"bad-{Guid.NewGuid():N}";

        var response = await Client.SendRawAsync(HttpMethod.Post, "/v1/pos/events", body, key);

        var problem = await response.AssertProblemAsync(400, "validation_failed");
        Assert.Contains(problem.GetProperty("errors").EnumerateObject(),
            error => error.Name.EndsWith(field, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, await LedgerRows.ScalarAsync(Fixture.Database,
            "SELECT count(*) FROM pos_events WHERE tenant_id = $1", Tenant));
    }

    [Fact]
    public async Task IngestNeedsThePosScope()
    {
        var reader = Fixture.Client(Tenant, "inventory:read");

        var response = await PostEventAsync(Event("sale", [("A", 1)]), "k", reader);

        await response.AssertProblemAsync(403, "forbidden");
    }

    [Fact]
    public async Task ATerminalWithAnHmacKeyCanIngest()
    {
        var body = System.Text.Json.JsonSerializer.Serialize(Event("sale", [("NOPE", 1)]));
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(FurnitureOps.Api.Auth.HmacSignature.Compute(Fixture.HmacSecret, timestamp, "POST", "/v1/pos/events", body));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/pos/events")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(FurnitureOps.Api.Auth.HmacSignature.KeyIdHeader, "pos-1");
        request.Headers.Add(FurnitureOps.Api.Auth.HmacSignature.TimestampHeader, timestamp);
        request.Headers.Add(FurnitureOps.Api.Auth.HmacSignature.SignatureHeader, signature);

        var response = await Fixture.AnonymousClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("rejected", (await response.JsonAsync()).GetProperty("status").GetString()); // the SKU does not exist
    }
}
