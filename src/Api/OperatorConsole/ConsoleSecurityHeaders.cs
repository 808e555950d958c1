using Microsoft.Extensions.Primitives;

namespace FurnitureOps.Api.OperatorConsole;

/// <summary>
/// The console's response headers. Scripts and styles come only from this origin (no inline script or style,
/// no eval), the page can't be framed, and requests go only to the API and, with OIDC, the identity provider.
/// </summary>
public sealed class ConsoleSecurityHeaders
{
    private readonly KeyValuePair<string, StringValues>[] _headers;

    private ConsoleSecurityHeaders(string contentSecurityPolicy) => _headers =
    [
        new("Content-Security-Policy", contentSecurityPolicy),
        new("X-Content-Type-Options", "nosniff"),
        new("X-Frame-Options", "DENY"),
        new("Referrer-Policy", "no-referrer"),
        new("Cross-Origin-Opener-Policy", "same-origin"),
        new("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
    ];

    public static ConsoleSecurityHeaders For(string? authority)
    {
        // The token endpoint and discovery document are on the authority's origin (oidc-client-ts calls them).
        var identityProvider = Uri.TryCreate(authority, UriKind.Absolute, out var uri) ? $" {uri.GetLeftPart(UriPartial.Authority)}" : "";
        return new ConsoleSecurityHeaders(string.Join("; ",
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            $"connect-src 'self'{identityProvider}",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "object-src 'none'"));
    }

    public void Apply(IHeaderDictionary response)
    {
        foreach (var (name, value) in _headers)
        {
            response[name] = value;
        }
    }
}
