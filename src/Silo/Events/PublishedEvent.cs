using System.Text.Json;
using System.Text.Json.Serialization;

namespace FurnitureOps.Silo.Events;

/// <summary>An outbox event after publication: what subscribers receive.</summary>
public sealed record PublishedEvent(
    long Position,
    Guid EventId,
    string Type,
    string TenantId,
    DateTimeOffset OccurredAt,
    string RequestId,
    string AggregateType,
    string AggregateId,
    long AggregateVersion,
    string DataJson)
{
    /// <summary>
    /// The JSON body of a webhook delivery; the same members as an item of the pull feed. Receivers must ignore
    /// members they do not know: new ones may be added to any version of an event.
    /// </summary>
    public byte[] ToEnvelopeJson() => JsonSerializer.SerializeToUtf8Bytes(
        new Envelope(EventId, Type, TenantId, OccurredAt, RequestId, Position, new Aggregate(AggregateType, AggregateId, AggregateVersion),
            JsonDocument.Parse(DataJson).RootElement),
        EnvelopeJson);

    private static readonly JsonSerializerOptions EnvelopeJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private sealed record Envelope(
        Guid EventId, string Type, string TenantId, DateTimeOffset OccurredAt, string RequestId, long Position, Aggregate Aggregate,
        JsonElement Data);

    private sealed record Aggregate(string Type, string Id, long Version);
}
