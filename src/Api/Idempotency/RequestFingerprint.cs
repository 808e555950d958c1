using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace FurnitureOps.Api.Idempotency;

/// <summary>
/// SHA-256 of method, route template and canonical JSON body: what makes a retry "the same request".
/// </summary>
/// <remarks>
/// The body is the bound request record serialised again (so member order is the type's and whitespace is
/// gone), with every number written by its value, as in RFC 8785 (JSON Canonicalization Scheme): <c>120</c>,
/// <c>120.0</c> and <c>1.2e2</c> are one request. Integers and doubles already serialise by value; decimals keep
/// the scale they were read with, so they are written without trailing zeros. A body whose numbers were already
/// spelled canonically keeps the fingerprint it had before numbers were canonicalised (a retry across that
/// upgrade still matches). Every value that reaches the command counts.
/// </remarks>
public static class RequestFingerprint
{
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> Canonical = [];

    public static string Compute<TBody>(HttpContext context, TBody body)
    {
        var routeTemplate = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? string.Empty;
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var material = new ArrayBufferWriter<byte>();
        material.Write(Encoding.UTF8.GetBytes($"{context.Request.Method}\n{routeTemplate}\n"));
        WriteCanonical(material, body, json);
        return Convert.ToHexStringLower(SHA256.HashData(material.WrittenSpan));
    }

    /// <summary>The canonical JSON of <paramref name="body"/> (see the remarks on the type), as UTF-8.</summary>
    public static void WriteCanonical<TBody>(IBufferWriter<byte> output, TBody body, JsonSerializerOptions json)
    {
        using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = json.Encoder });
        JsonSerializer.Serialize(writer, body, Canonical.GetValue(json, options => new JsonSerializerOptions(options)
        {
            Converters = { new CanonicalDecimal() },
        }));
    }

    /// <summary>Writes a decimal without its trailing zeros (dividing by 1.000… keeps the value, drops the scale).</summary>
    private sealed class CanonicalDecimal : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDecimal();

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value / 1.0000000000000000000000000000m);
    }
}
