using System.Text.Json;

namespace FurnitureOps.Grains.Storage;

/// <summary>The one JSON shape used for audit snapshots, outbox payloads and stored replies: web defaults (camelCase).</summary>
internal static class LedgerJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static string SerializeObject(object value) => JsonSerializer.Serialize(value, value.GetType(), Options);

    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException($"Stored {typeof(T).Name} is null.");
}
