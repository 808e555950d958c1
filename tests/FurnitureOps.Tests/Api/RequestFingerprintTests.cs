using System.Buffers;
using System.Text;
using System.Text.Json;
using FurnitureOps.Api.Idempotency;
using FurnitureOps.Api.Pos;

namespace FurnitureOps.Tests.Api;

/// <summary>
/// The request fingerprint's JSON: numbers by value, and for bodies whose numbers were already canonical, the
/// very bytes the fingerprint was computed from before numbers were canonicalised (retries across the upgrade).
/// </summary>
public sealed class RequestFingerprintTests
{
    // The API's own settings for request bodies (web defaults; strict numbers).
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };

    [Theory]
    [InlineData("120", "120.0")]
    [InlineData("120", "1.2e2")]
    [InlineData("120", "120.000")]
    [InlineData("0.5", "5e-1")]
    [InlineData("19.99", "19.990")]
    public void NumbersThatAreEqualGiveTheSameJson(string canonical, string spelledOtherwise) =>
        Assert.Equal(Canonical(Event(canonical)), Canonical(Event(spelledOtherwise)));

    [Fact]
    public void DifferentNumbersGiveDifferentJson() =>
        Assert.NotEqual(Canonical(Event("120")), Canonical(Event("120.01")));

    [Fact]
    public void ABodyWithCanonicalNumbersIsWrittenAsBeforeByteForByte()
    {
        var body = Event("19.99", note: "Stühle \"<oak>\"");

        Assert.Equal(JsonSerializer.Serialize(body, Json), Canonical(body));
    }

    private static PosEventRequest Event(string amount, string note = "till 1") => JsonSerializer.Deserialize<PosEventRequest>(
        "{\"source\": " + JsonSerializer.Serialize(note) + ", \"type\": \"sale\", \"occurredAt\": \"2026-11-20T10:00:00Z\", " +
        "\"lines\": [{\"sku\": \"CHAIR-1\", \"quantity\": 2}], \"amount\": " + amount + "}", Json)!;

    private static string Canonical<TBody>(TBody body)
    {
        var output = new ArrayBufferWriter<byte>();
        RequestFingerprint.WriteCanonical(output, body, Json);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
