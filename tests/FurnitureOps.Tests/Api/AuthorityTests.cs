using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using FurnitureOps.Api.Auth;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FurnitureOps.Tests.Api;

/// <summary>
/// With <c>Auth:Authority</c> set, tokens come from that authority only: its issuer and its keys (from a real
/// discovery document and JWKS served on loopback). The development issuer and the HS256 development key are
/// refused, even though the key is still configured, unless <c>Auth:AcceptDevelopmentTokens</c> says otherwise.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class AuthorityTests(ApiFixture api) : IAsyncLifetime
{
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly string _tenant = $"t-{Guid.NewGuid():N}";
    private WebApplication _authority = null!;
    private string _issuer = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _authority = builder.Build();
        var key = new RsaSecurityKey(_rsa.ExportParameters(false)) { KeyId = "k1" };
        _authority.MapGet("/.well-known/openid-configuration", (HttpContext context) =>
            Results.Json(new Dictionary<string, object> { ["issuer"] = _issuer, ["jwks_uri"] = $"{_issuer}/jwks" }));
        _authority.MapGet("/jwks", () => Results.Text(
            $$"""{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"k1","n":"{{Base64UrlEncoder.Encode(key.Parameters.Modulus)}}","e":"{{Base64UrlEncoder.Encode(key.Parameters.Exponent)}}"}]}""",
            "application/json"));
        await _authority.StartAsync();
        _issuer = _authority.Urls.Single();
    }

    public async Task DisposeAsync()
    {
        await _authority.DisposeAsync();
        _rsa.Dispose();
    }

    [Fact]
    public async Task OnlyTheAuthoritysIssuerAndKeysAreAccepted()
    {
        await using var instance = CreateApi(acceptDevelopmentTokens: false);

        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(instance, AuthorityToken(_issuer)));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(instance, AuthorityToken(AuthOptions.DevelopmentIssuer)));
        Assert.Equal(HttpStatusCode.Unauthorized, await GetAsync(instance, api.Token(_tenant, [])));
    }

    [Fact]
    public async Task DevelopmentTokensAreAcceptedBesideTheAuthorityOnlyWhenEnabled()
    {
        await using var instance = CreateApi(acceptDevelopmentTokens: true);

        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(instance, AuthorityToken(_issuer)));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(instance, api.Token(_tenant, [])));
    }

    private ApiFactory CreateApi(bool acceptDevelopmentTokens) => api.CreateApi(api.ClusterId, new Dictionary<string, string?>
    {
        ["Auth:Authority"] = _issuer,
        ["Auth:RequireHttpsMetadata"] = "false",
        ["Auth:AcceptDevelopmentTokens"] = acceptDevelopmentTokens ? "true" : "false",
    });

    // A read of a SKU that does not exist: 404 once authenticated, 401 otherwise.
    private static async Task<HttpStatusCode> GetAsync(ApiFactory instance, string token)
    {
        var client = instance.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await client.GetAsync("/v1/inventory/NO-SUCH-SKU")).StatusCode;
    }

    private string AuthorityToken(string issuer) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = issuer,
        Audience = "furnitureops",
        Expires = DateTime.UtcNow.AddMinutes(10),
        Subject = new ClaimsIdentity(
        [
            new Claim(Claims.Subject, "staff-1"), new Claim(Claims.TenantId, _tenant), new Claim(Claims.Scope, string.Join(' ', Scopes.All)),
        ]),
        SigningCredentials = new SigningCredentials(new RsaSecurityKey(_rsa) { KeyId = "k1" }, SecurityAlgorithms.RsaSha256),
    });
}
