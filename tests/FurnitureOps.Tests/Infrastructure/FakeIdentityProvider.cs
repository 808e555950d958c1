using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>The person the fake provider signs in, and the scopes they may be granted.</summary>
public sealed record FakeIdentityUser(string Subject, string TenantId, IReadOnlyList<string> Scopes);

/// <summary>An <c>/authorize</c> request's parameters as the provider received them.</summary>
public sealed record AuthorizeRequest(
    string? ClientId, string? RedirectUri, string? ResponseType, string? ResponseMode, string? CodeChallenge, string? CodeChallengeMethod, string? Scope);

/// <summary>A code redeemed at <c>/token</c> (its PKCE verifier matched its challenge) and the access token issued for it.</summary>
public sealed record TokenExchange(string Code, string AccessToken, DateTimeOffset ExpiresAt);

/// <summary>
/// Test only: an OpenID provider on 127.0.0.1 for the console's authorization code + PKCE sign-in, so the browser
/// tests run the real flow (discovery, redirect, code exchange, RS256 tokens the API validates from the JWKS) with
/// no provider to install. It signs in <see cref="FakeIdentityUser"/> without a form, trusts one public client
/// with one redirect URI, and checks what a real provider checks of that client: the redirect URI, S256 PKCE,
/// one use per code. It records what it received, so a test can assert how the console asked.
/// </summary>
public sealed class FakeIdentityProvider : IAsyncDisposable
{
    public const string ClientId = "furnitureops-console-tests";

    /// <summary>The API's <c>Auth:Audience</c> default: access tokens are for the API, ID tokens for the client.</summary>
    public const string ApiAudience = "furnitureops";

    private static readonly Dictionary<string, string[]> Supported = new()
    {
        ["response_types_supported"] = ["code"],
        ["response_modes_supported"] = ["query", "fragment"],
        ["grant_types_supported"] = ["authorization_code"],
        ["subject_types_supported"] = ["public"],
        ["id_token_signing_alg_values_supported"] = [SecurityAlgorithms.RsaSha256],
        ["code_challenge_methods_supported"] = ["S256"],
        ["token_endpoint_auth_methods_supported"] = ["none"],
    };

    private readonly WebApplication _app;
    private readonly FakeIdentityUser _user;
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly RsaSecurityKey _signingKey;
    private readonly ConcurrentDictionary<string, PendingCode> _codes = new();
    private string? _redirectUri;
    private string? _consoleOrigin;

    private FakeIdentityProvider(WebApplication app, FakeIdentityUser user)
    {
        _app = app;
        _user = user;
        _signingKey = new RsaSecurityKey(_rsa) { KeyId = Guid.NewGuid().ToString("N") };
    }

    /// <summary>Its base URL, which is also its issuer (no trailing slash, as the API's authority).</summary>
    public string Issuer { get; private set; } = "";

    /// <summary>How long the access tokens it issues from now on are valid (<c>exp</c> and <c>expires_in</c> alike).</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(10);

    public ConcurrentQueue<AuthorizeRequest> Authorizations { get; } = new();

    public ConcurrentQueue<TokenExchange> Exchanges { get; } = new();

    /// <summary>Why <c>/token</c> refused a request, so a failed sign-in explains itself.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    public static async Task<FakeIdentityProvider> StartAsync(FakeIdentityUser user)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new FakeIdentityProvider(app, user);
        app.Use(provider.AllowConsoleOriginAsync);
        app.MapGet("/.well-known/openid-configuration", provider.Discovery);
        app.MapGet("/jwks", provider.Keys);
        app.MapGet("/authorize", provider.Authorize);
        app.MapPost("/token", provider.TokenAsync);
        await app.StartAsync();
        provider.Issuer = app.Urls.First();
        return provider;
    }

    /// <summary>
    /// The client's one redirect URI (known once the API under test has its port). Its origin is the only one
    /// the provider answers cross-origin calls from: the console's script fetches discovery and the token.
    /// </summary>
    public void RegisterRedirectUri(Uri redirectUri)
    {
        _redirectUri = redirectUri.ToString();
        _consoleOrigin = redirectUri.GetLeftPart(UriPartial.Authority);
    }

    private async Task AllowConsoleOriginAsync(HttpContext context, RequestDelegate next)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && origin == _consoleOrigin)
        {
            context.Response.Headers.AccessControlAllowOrigin = origin;
            context.Response.Headers.Vary = "Origin";
            if (HttpMethods.IsOptions(context.Request.Method))
            {
                context.Response.Headers.AccessControlAllowMethods = "GET, POST";
                context.Response.Headers.AccessControlAllowHeaders = context.Request.Headers.AccessControlRequestHeaders;
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
        }

        await next(context);
    }

    private IResult Discovery()
    {
        var document = new Dictionary<string, object>(Supported.Select(entry => KeyValuePair.Create(entry.Key, (object)entry.Value)))
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = $"{Issuer}/authorize",
            ["token_endpoint"] = $"{Issuer}/token",
            ["jwks_uri"] = $"{Issuer}/jwks",
        };
        return Results.Json(document);
    }

    private IResult Keys()
    {
        // The public half only: the JWK is made from exported public parameters, never from the signing key.
        var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(_rsa.ExportParameters(includePrivateParameters: false)));
        return Results.Json(new { keys = new[] { new { kty = jwk.Kty, use = "sig", alg = SecurityAlgorithms.RsaSha256, kid = _signingKey.KeyId, n = jwk.N, e = jwk.E } } });
    }

    private IResult Authorize(HttpRequest request)
    {
        string? Query(string name) => request.Query.TryGetValue(name, out var value) ? value.ToString() : null;
        var received = new AuthorizeRequest(Query("client_id"), Query("redirect_uri"), Query("response_type"), Query("response_mode"),
            Query("code_challenge"), Query("code_challenge_method"), Query("scope"));
        Authorizations.Enqueue(received);

        // A real provider shows an error page rather than redirect to a URI it does not know; so does this one.
        var state = Query("state");
        if (received is not { ClientId: FakeIdentityProvider.ClientId, ResponseType: "code", CodeChallengeMethod: "S256", RedirectUri: { } redirectUri, CodeChallenge: { Length: > 0 } challenge } ||
            redirectUri != _redirectUri || string.IsNullOrEmpty(state))
        {
            return Results.BadRequest("This client must ask for response_type=code with an S256 code_challenge, a state and its registered redirect_uri.");
        }

        var code = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        _codes[code] = new PendingCode(redirectUri, challenge, received.Scope ?? "", Query("nonce"));
        var separator = received.ResponseMode == "fragment" ? '#' : '?';
        return Results.Redirect($"{redirectUri}{separator}code={code}&state={Uri.EscapeDataString(state)}");
    }

    private async Task<IResult> TokenAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var code = form["code"].ToString();
        var verifier = form["code_verifier"].ToString();
        if (form["grant_type"] != "authorization_code" || form["client_id"] != ClientId)
        {
            return Refuse("invalid_client", "Only the authorization code grant of the console's client.");
        }

        // Taken out before it is checked: a code is redeemed once, whatever the outcome.
        if (!_codes.TryRemove(code, out var pending) || form["redirect_uri"] != pending.RedirectUri)
        {
            return Refuse("invalid_grant", "Unknown or already used code, or not the redirect_uri it was issued for.");
        }

        if (verifier.Length is < 43 or > 128 || Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) != pending.CodeChallenge)
        {
            return Refuse("invalid_grant", "The code_verifier does not match the code_challenge.");
        }

        var now = DateTimeOffset.UtcNow;
        var expires = now + AccessTokenLifetime;
        var scope = string.Join(' ', pending.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(requested => requested is "openid" or "profile" || _user.Scopes.Contains(requested)));
        var accessToken = Sign(ApiAudience, now, expires, new() { ["sub"] = _user.Subject, ["tenant_id"] = _user.TenantId, ["scope"] = scope, ["client_id"] = ClientId });
        var idClaims = new Dictionary<string, object> { ["sub"] = _user.Subject, ["auth_time"] = now.ToUnixTimeSeconds() };
        if (pending.Nonce is not null)
        {
            idClaims["nonce"] = pending.Nonce;
        }

        Exchanges.Enqueue(new TokenExchange(code, accessToken, expires));
        request.HttpContext.Response.Headers.CacheControl = "no-store";
        return Results.Json(new
        {
            access_token = accessToken,
            id_token = Sign(ClientId, now, now.AddMinutes(10), idClaims),
            token_type = "Bearer",
            expires_in = (int)AccessTokenLifetime.TotalSeconds,
            scope,
        });
    }

    private IResult Refuse(string error, string description)
    {
        Refusals.Enqueue($"{error}: {description}");
        return Results.Json(new { error, error_description = description }, statusCode: StatusCodes.Status400BadRequest);
    }

    private string Sign(string audience, DateTimeOffset now, DateTimeOffset expires, Dictionary<string, object> claims) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(_signingKey, SecurityAlgorithms.RsaSha256),
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _rsa.Dispose();
    }

    private sealed record PendingCode(string RedirectUri, string CodeChallenge, string Scope, string? Nonce);
}
