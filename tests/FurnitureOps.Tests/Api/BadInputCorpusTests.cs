using System.Text;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

/// <summary>Every kind of bad input gets a 4xx problem+json with a code, and nothing is written (checked in the database).</summary>
[Collection(ApiDefinition.Name)]
public sealed class BadInputCorpusTests(ApiFixture api) : ApiTestBase(api)
{
    private const string Sales = "/v1/inventory/{sku}/sales";

    public static TheoryData<string, string, string, string?, string, int> Corpus => new()
    {
        // name, route, body, idempotency key, content type, expected status
        { "malformed JSON", Sales, """{"quantity": """, "k", "application/json", 400 },
        { "empty body", Sales, "", "k", "application/json", 400 },
        { "array instead of object", Sales, "[1]", "k", "application/json", 400 },
        { "null quantity", Sales, """{"quantity": null}""", "k", "application/json", 400 },
        { "negative quantity", Sales, """{"quantity": -3}""", "k", "application/json", 400 },
        { "zero quantity", Sales, """{"quantity": 0}""", "k", "application/json", 400 },
        { "huge quantity", Sales, """{"quantity": 1e30}""", "k", "application/json", 400 },
        { "quantity past the limit", Sales, """{"quantity": 1000001}""", "k", "application/json", 400 },
        { "fractional quantity", Sales, """{"quantity": 2.5}""", "k", "application/json", 400 },
        { "quantity as string", Sales, """{"quantity": "2"}""", "k", "application/json", 400 },
        { "unknown member", Sales, """{"quantity": 1, "price": 9}""", "k", "application/json", 400 },
        { "deep nesting", Sales, """{"quantity": 1, "orderRef": """ + new string('[', 200) + new string(']', 200) + "}", "k", "application/json", 400 },
        { "order ref too long", Sales, $$"""{"quantity": 1, "orderRef": "{{new string('r', 129)}}"}""", "k", "application/json", 400 },
        { "10 MB body", Sales, $$"""{"quantity": 1, "orderRef": "{{new string('r', 10 * 1024 * 1024)}}"}""", "k", "application/json", 413 },
        { "missing key", Sales, """{"quantity": 1}""", null, "application/json", 400 },
        { "key too long", Sales, """{"quantity": 1}""", new string('k', 256), "application/json", 400 },
        { "key with control character", Sales, """{"quantity": 1}""", "bad\u0001key", "application/json", 400 },
        { "unsupported media type", Sales, "quantity=1", "k", "text/plain", 415 },
        { "sku with spaces", "/v1/inventory/bad%20sku/sales", """{"quantity": 1}""", "k", "application/json", 400 },
        { "sku too long", $"/v1/inventory/{new string('A', 65)}/sales", """{"quantity": 1}""", "k", "application/json", 400 },
        { "sku with unicode", "/v1/inventory/st%C3%BChl/sales", """{"quantity": 1}""", "k", "application/json", 400 },
        { "unknown route", "/v1/inventory/{sku}/teleport", """{"quantity": 1}""", "k", "application/json", 404 },
        { "wrong method", "/v1/inventory/{sku}/sales", "", "k", "DELETE", 405 },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task IsAnsweredWith4xxProblemAndWritesNothing(string name, string route, string body, string? key, string contentType, int status)
    {
        await CreateSkuAsync(onHand: 10);
        var before = await CountRowsAsync();
        var method = contentType == "DELETE" ? HttpMethod.Delete : HttpMethod.Post;
        var request = new HttpRequestMessage(method, route.Replace("{sku}", Sku, StringComparison.Ordinal));
        if (method == HttpMethod.Post)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        // As a well-behaved client uploading much: the 413 arrives before the 10 MB would be sent.
        request.Headers.ExpectContinue = true;

        var response = await Client.SendAsync(request);

        Assert.True((int)response.StatusCode == status, $"{name}: expected {status}, got {(int)response.StatusCode}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("code").GetString()), name);

        // In the API's words: no CLR type, namespace or parser position bookkeeping leaks into what a client reads.
        var text = problem.GetRawText();
        Assert.DoesNotMatch(@"FurnitureOps\.|System\.|\.NET|LineNumber|BytePositionInLine|Path: \$", text);
        Assert.Equal(before, await CountRowsAsync());
        Assert.Equal(10, (await (await Client.GetAsync($"/v1/inventory/{Sku}")).JsonAsync()).GetProperty("onHand").GetInt64());
    }

    [Theory]
    [InlineData("""{"quantity": "2"}""", "quantity", "'quantity' must be a whole number (unquoted).")]
    [InlineData("""{"quantity": 2.5}""", "quantity", "'quantity' must be a whole number (unquoted).")]
    [InlineData("""{"quantity": 1, "price": 9}""", "price", "'price' is not a field of this request.")]
    [InlineData("""[1]""", "body", "The body must be a JSON object.")]
    [InlineData("""{"quantity": 1, "orderRef": 7}""", "orderRef", "'orderRef' must be a string.")]
    [InlineData("""{"quantity": """, "quantity", "The body is not valid JSON (line 1, character 14).")]
    public async Task TheErrorNamesTheFieldAndSaysWhatItShouldHold(string body, string field, string message)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/inventory/{Sku}/sales")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", "k");

        var problem = await (await Client.SendAsync(request)).JsonAsync();

        Assert.Equal(message, Assert.Single(problem.GetProperty("errors").GetProperty(field).EnumerateArray()).GetString());
    }

    [Fact]
    public async Task AQueryValueOfTheWrongTypeIsNamedWithoutItsClrType()
    {
        await CreateSkuAsync(onHand: 1);

        var problem = await (await Client.GetAsync($"/v1/inventory/{Sku}/ledger?limit=lots")).JsonAsync();

        Assert.Equal("'lots' is not a valid limit.", Assert.Single(problem.GetProperty("errors").GetProperty("limit").EnumerateArray()).GetString());
    }
}
