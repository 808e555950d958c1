using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace FurnitureOps.Api.Idempotency;

/// <summary>
/// SHA-256 of method, route template and canonical JSON body: what makes a retry "the same request".
/// </summary>
/// <remarks>
/// The body is the bound request record serialised again (so member order is the type's and whitespace is
/// gone), with every number written by its value, as in RFC 8785 (JSON Canonicalization Scheme): <c>120</c>, <c>120.0</c> and <c>1.2e2</c> are
/// one request. Integers are written as integers and other numbers as the shortest decimal of their value, so a
/// body whose numbers were already spelled canonically keeps the fingerprint it had before numbers were
/// canonicalised (a retry across that upgrade still matches). Every value that reaches the command counts.
/// </remarks>
public static class RequestFingerprint
{
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
        WriteCanonical(writer, JsonSerializer.SerializeToElement(body, json));
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var member in value.EnumerateObject())
                {
                    writer.WritePropertyName(member.Name);
                    WriteCanonical(writer, member.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(CanonicalNumber(value), skipInputValidation: true);
                break;
            default:
                // Strings, true, false, null: one spelling each once serialised from the bound record; written as
                // that text, since the writer would escape some characters the serialiser does not.
                writer.WriteRawValue(value.GetRawText(), skipInputValidation: true);
                break;
        }
    }

    // Integers as integers; other numbers as their shortest decimal (dividing by 1.000… drops trailing zeros);
    // beyond decimal's range, the shortest text that reads back as the same double.
    private static string CanonicalNumber(JsonElement number)
    {
        if (number.TryGetInt64(out var integer))
        {
            return integer.ToString(CultureInfo.InvariantCulture);
        }

        if (number.TryGetDecimal(out var exact))
        {
            var normalised = exact / 1.0000000000000000000000000000m;
            return decimal.IsInteger(normalised) && normalised is >= long.MinValue and <= long.MaxValue
                ? ((long)normalised).ToString(CultureInfo.InvariantCulture)
                : normalised.ToString(CultureInfo.InvariantCulture);
        }

        var approximate = number.GetDouble();
        return approximate == 0 ? "0" : approximate.ToString("R", CultureInfo.InvariantCulture);
    }
}
