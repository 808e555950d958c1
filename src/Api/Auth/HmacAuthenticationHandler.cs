using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using FurnitureOps.Api.Http;
using FurnitureOps.Grains.Interfaces.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;

namespace FurnitureOps.Api.Auth;

/// <summary>
/// Authenticates machine clients by <c>X-Key-Id</c>, <c>X-Timestamp</c> and <c>X-Signature</c>: timestamp within
/// the allowed skew, signature compared in constant time, and each signature usable once (cluster-wide replay
/// guard). Failures are 401 problems with a code saying which check failed.
/// </summary>
public sealed class HmacAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptionsMonitor<HmacOptions> hmacOptions,
    IClusterClient cluster,
    TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "Hmac";
    private const string FailureCodeItem = "fo.hmac-failure";

    public static bool IsSigned(HttpRequest request) =>
        request.Headers.ContainsKey(HmacSignature.KeyIdHeader) || request.Headers.ContainsKey(HmacSignature.SignatureHeader) ||
        request.Headers.ContainsKey(HmacSignature.TimestampHeader);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string keyId = Request.Headers[HmacSignature.KeyIdHeader].ToString(), timestamp = Request.Headers[HmacSignature.TimestampHeader].ToString();
        var offered = Request.Headers[HmacSignature.SignatureHeader].ToString();
        if (keyId.Length == 0 || timestamp.Length == 0 || offered.Length == 0)
        {
            return Fail(ProblemCodes.SignatureMissing, "Send X-Key-Id, X-Timestamp and X-Signature together.");
        }

        var options = hmacOptions.CurrentValue;
        var now = time.GetUtcNow();
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ||
            seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds() ||
            (DateTimeOffset.FromUnixTimeSeconds(seconds) - now).Duration() > options.AllowedSkew)
        {
            return Fail(ProblemCodes.TimestampOutOfWindow, $"X-Timestamp must be unix seconds within {options.AllowedSkew.TotalMinutes} minutes of now.");
        }

        Request.EnableBuffering();
        using var reader = new StreamReader(Request.Body, leaveOpen: true);
        var body = await reader.ReadToEndAsync(Context.RequestAborted);
        Request.Body.Position = 0;

        var signature = new byte[32];
        if (!options.Keys.TryGetValue(keyId, out var client) ||
            !Convert.TryFromBase64String(offered, signature, out var length) || length != signature.Length ||
            !CryptographicOperations.FixedTimeEquals(signature,
                HmacSignature.Compute(client.Secret, timestamp, Request.Method, Request.GetEncodedPathAndQuery(), body)))
        {
            return Fail(ProblemCodes.SignatureInvalid, "The signature does not match the request.");
        }

        // Checked after the signature, so nobody can fill the replay table with made-up signatures. The record
        // outlives the window by a second skew: it is written on this API's clock but purged on a silo's, and a
        // silo whose clock runs ahead by up to the skew must not forget it while this API still accepts it.
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(seconds) + 2 * options.AllowedSkew;
        if (!await cluster.GetGrain<IReplayGuardGrain>(0).TryFirstUseAsync(SHA256.HashData(signature), keyId, expiresAt))
        {
            return Fail(ProblemCodes.SignatureReplayed, "This signature was already used; sign each request anew.");
        }

        var identity = new ClaimsIdentity(
        [
            new Claim(Claims.Subject, client.Subject ?? $"key:{keyId}"),
            new Claim(Claims.TenantId, client.TenantId),
            new Claim(Claims.Scope, client.Scopes),
        ], SchemeName, Claims.Subject, null);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var (code, detail) = Context.Items[FailureCodeItem] as (string, string)? ?? (ProblemCodes.SignatureMissing, "Sign the request.");
        await Problems.Create(StatusCodes.Status401Unauthorized, code, "The request signature was not accepted.", detail).ExecuteAsync(Context);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Problems.Create(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden, "The key does not allow this.",
            "The signing key lacks the scope this operation requires.").ExecuteAsync(Context);

    private AuthenticateResult Fail(string code, string detail)
    {
        Context.Items[FailureCodeItem] = (code, detail);
        return AuthenticateResult.Fail(code);
    }
}
