using System.Globalization;
using System.Net;
using System.Text;
using FurnitureOps.Api.Auth;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary>Machine clients sign requests with a shared secret instead of carrying a token.</summary>
[Collection(ApiDefinition.Name)]
public sealed class HmacTests(ApiFixture api)
{
    private readonly string _sku = $"POS-{Guid.NewGuid():N}";

    private string CreateBody => $$"""{"sku":"{{_sku}}","name":"Terminal item","onHand":4}""";

    [Fact]
    public async Task ValidSignedRequestIsAcceptedAndActsForTheKeysTenant()
    {
        var response = await SendAsync(Signed(HttpMethod.Post, "/v1/inventory", CreateBody));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("key:pos-1", await LedgerRows.ScalarTextAsync(api.Database,
            "SELECT actor FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2", api.HmacTenant, _sku));
    }

    [Fact]
    public async Task WrongSecretIs401SignatureInvalid() =>
        await AssertRefusedAsync(Signed(HttpMethod.Post, "/v1/inventory", CreateBody, secret: new string('x', 48)), "signature_invalid");

    [Fact]
    public async Task AlteredBodyIs401SignatureInvalid() =>
        await AssertRefusedAsync(Signed(HttpMethod.Post, "/v1/inventory", CreateBody, sendBody: CreateBody.Replace("4", "40", StringComparison.Ordinal)),
            "signature_invalid");

    [Fact]
    public async Task AlteredPathIs401SignatureInvalid() =>
        await AssertRefusedAsync(Signed(HttpMethod.Post, "/v1/inventory", CreateBody, sendPath: "/v1/inventory?x=1"), "signature_invalid");

    [Fact]
    public async Task UnknownKeyIs401SignatureInvalid() =>
        await AssertRefusedAsync(Signed(HttpMethod.Post, "/v1/inventory", CreateBody, keyId: "nobody"), "signature_invalid");

    [Theory]
    [InlineData(-6)]
    [InlineData(6)]
    public async Task TimestampOutsideFiveMinutesIs401(int minutes) =>
        await AssertRefusedAsync(Signed(HttpMethod.Post, "/v1/inventory", CreateBody, at: DateTimeOffset.UtcNow.AddMinutes(minutes)),
            "timestamp_out_of_window");

    [Fact]
    public async Task IncompleteSignatureHeadersAre401SignatureMissing()
    {
        var request = Signed(HttpMethod.Post, "/v1/inventory", CreateBody);
        request.Headers.Remove(HmacSignature.SignatureHeader);

        await AssertRefusedAsync(request, "signature_missing");
    }

    [Fact]
    public async Task ReplayedSignatureIs401AndWritesNothing()
    {
        var first = Signed(HttpMethod.Post, $"/v1/inventory", CreateBody);
        var replay = Signed(HttpMethod.Post, $"/v1/inventory", CreateBody);
        replay.Headers.Remove(HmacSignature.TimestampHeader);
        replay.Headers.Remove(HmacSignature.SignatureHeader);
        replay.Headers.Add(HmacSignature.TimestampHeader, first.Headers.GetValues(HmacSignature.TimestampHeader));
        replay.Headers.Add(HmacSignature.SignatureHeader, first.Headers.GetValues(HmacSignature.SignatureHeader));
        replay.Headers.Remove("Idempotency-Key");
        replay.Headers.Add("Idempotency-Key", "another-key");

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(first)).StatusCode);
        await (await SendAsync(replay)).AssertProblemAsync(401, "signature_replayed");
        Assert.Equal(1, await LedgerRows.ScalarAsync(api.Database,
            "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2", api.HmacTenant, _sku));
    }

    [Fact]
    public async Task AUsedSignatureIsRememberedForTwiceTheSkewPastItsTimestamp()
    {
        var at = DateTimeOffset.UtcNow;
        var request = Signed(HttpMethod.Post, "/v1/inventory", CreateBody, at: at);
        var signature = Convert.FromBase64String(request.Headers.GetValues(HmacSignature.SignatureHeader).Single());

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(request)).StatusCode);

        // The API accepts timestamps up to 5 minutes old on its clock; the silo that purges the record may run
        // up to 5 minutes ahead of it. So the record must last until timestamp + 10 minutes.
        var remembered = await LedgerRows.ScalarAsync(api.Database,
            "SELECT extract(epoch FROM expires_at)::bigint FROM used_signatures WHERE signature_sha256 = $1",
            System.Security.Cryptography.SHA256.HashData(signature));
        Assert.Equal(at.ToUnixTimeSeconds() + (long)TimeSpan.FromMinutes(10).TotalSeconds, remembered);
    }

    [Fact]
    public async Task KeyWithoutTheScopeIs403()
    {
        var response = await SendAsync(Signed(HttpMethod.Post, "/v1/inventory", CreateBody, keyId: "reader-1"));

        await response.AssertProblemAsync(403, "forbidden");
        await AssertNothingWrittenAsync();
    }

    [Fact]
    public void AKeyWithAShortSecretIsRejectedByConfigurationValidation()
    {
        var options = new HmacOptions { Keys = { ["weak"] = new HmacClient { Secret = "too-short", TenantId = "t", Scopes = "inventory:read" } } };

        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(
            options, new System.ComponentModel.DataAnnotations.ValidationContext(options), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains(results, result => result.ErrorMessage!.Contains("'weak'", StringComparison.Ordinal));
    }

    private async Task AssertRefusedAsync(HttpRequestMessage request, string code)
    {
        await (await SendAsync(request)).AssertProblemAsync(401, code);
        await AssertNothingWrittenAsync();
    }

    private async Task AssertNothingWrittenAsync() => Assert.Equal(0, await LedgerRows.ScalarAsync(api.Database,
        "SELECT count(*) FROM inventory_items WHERE tenant_id = $1 AND sku = $2", api.HmacTenant, _sku));

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => api.AnonymousClient().SendAsync(request);

    private HttpRequestMessage Signed(HttpMethod method, string path, string body, string keyId = "pos-1", string? secret = null,
        DateTimeOffset? at = null, string? sendBody = null, string? sendPath = null)
    {
        var timestamp = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HmacSignature.Compute(secret ?? api.HmacSecret, timestamp, method.Method, path, body));
        var request = new HttpRequestMessage(method, sendPath ?? path) { Content = new StringContent(sendBody ?? body, Encoding.UTF8, "application/json") };
        request.Headers.Add(HmacSignature.KeyIdHeader, keyId);
        request.Headers.Add(HmacSignature.TimestampHeader, timestamp);
        request.Headers.Add(HmacSignature.SignatureHeader, signature);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        return request;
    }
}
