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
/// The body is canonicalised by re-serialising the bound request record: property order is fixed by the
/// type and whitespace, key order and number spelling in the original text no longer matter, while every
/// value that reaches the command does.
/// </remarks>
public static class RequestFingerprint
{
    public static string Compute<TBody>(HttpContext context, TBody body)
    {
        var routeTemplate = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? string.Empty;
        var json = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var canonical = JsonSerializer.Serialize(body, json);
        var material = $"{context.Request.Method}\n{routeTemplate}\n{canonical}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }
}
