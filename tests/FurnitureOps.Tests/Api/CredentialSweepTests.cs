using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using FurnitureOps.Api.Auth;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace FurnitureOps.Tests.Api;

/// <summary>
/// Every route the API maps, with every method, asked by a caller it must turn away: no credentials, a token
/// signed with another key, an HMAC signature that does not verify, a valid token without the route's
/// scope, and another tenant aiming at a tenant's real ids. None of them may answer 5xx, and none may write
/// anything of the tenant's or show it (counted in the database, searched in the answers).
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed partial class CredentialSweepTests(ApiFixture api)
{
    private static readonly string[] WriteTables = ["audit_log", "outbox", "idempotency_records", "inventory_ledger", "loyalty_ledger"];

    [Fact]
    public async Task NoRouteAnswers5xxOrWritesForACallerItMustRefuse()
    {
        var routes = Routes();
        Assert.True(routes.Count > 20, $"only {routes.Count} routes found");
        var tenant = $"t-{Guid.NewGuid():N}";
        var callers = new (string Name, Action<HttpRequestMessage> Identify)[]
        {
            ("no credentials", _ => { }),
            ("a token signed with another key", request => request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
                DevTokens.Issue(Convert.ToBase64String(new byte[48]), tenant, "intruder", Scopes.All, TimeSpan.FromHours(1)))),
            ("a bad HMAC signature", request =>
            {
                request.Headers.Add("X-Key-Id", "pos-1");
                request.Headers.Add("X-Timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
                request.Headers.Add("X-Signature", Convert.ToBase64String(new byte[32]));
            }),
            ("a token without the route's scope", request => request.Headers.Authorization =
                new AuthenticationHeaderValue("Bearer", api.Token(tenant, ["pos:read"]))),
        };
        var before = await CountWritesAsync();
        var client = api.AnonymousClient();

        var failures = new List<string>();
        foreach (var (method, path) in routes)
        {
            foreach (var (name, identify) in callers)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = new StringContent("""{"quantity": 1, "points": 1}""", Encoding.UTF8, "application/json");
                    request.Headers.Add("Idempotency-Key", $"sweep-{Guid.NewGuid():N}");
                }

                identify(request);
                using var response = await client.SendAsync(request);
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"{method} {path} with {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        Assert.Empty(failures);
        Assert.Equal(before, await CountWritesAsync());
    }

    [Fact]
    public async Task AnotherTenantsIdsReachNothingOfTheirs()
    {
        // Tenant A owns a SKU and a player with points; tenant B, with every scope, aims every route at them.
        var owner = $"t-{Guid.NewGuid():N}";
        var sku = $"SWEEP-{Guid.NewGuid():N}"[..20];
        var player = $"player-{Guid.NewGuid():N}"[..20];
        var marker = $"{Guid.NewGuid():N}"; // in A's SKU name and accrual source: found in an answer only if A's data leaked
        var ownerClient = api.Client(owner);
        Assert.Equal(System.Net.HttpStatusCode.Created,
            (await ownerClient.PostJsonAsync("/v1/inventory", new { sku, name = $"Oak chair {marker}", onHand = 5 })).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await ownerClient.PostJsonAsync($"/v1/players/{player}/loyalty/accruals",
            new { points = 100, sourceType = "visit", sourceId = marker })).StatusCode);
        var before = await CountWritesAsync(owner);
        var intruder = api.Client($"t-{Guid.NewGuid():N}");

        var failures = new List<string>();
        foreach (var (method, path) in Routes(name => name switch { "sku" => sku, "playerId" => player, _ => "sweep-1" }))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT" or "PATCH")
            {
                request.Content = new StringContent("""{"quantity": 1, "points": 1}""", Encoding.UTF8, "application/json");
                request.Headers.Add("Idempotency-Key", $"sweep-{Guid.NewGuid():N}");
            }

            using var response = await intruder.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            if ((int)response.StatusCode >= 500 || body.Contains(owner, StringComparison.Ordinal) || body.Contains(marker, StringComparison.Ordinal))
            {
                failures.Add($"{method} {path}: {(int)response.StatusCode} {body}");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(before, await CountWritesAsync(owner));
    }

    /// <summary>Every method of every route endpoint, its parameters filled by <paramref name="value"/> (by name) or a valid identifier.</summary>
    private List<(string Method, string Path)> Routes(Func<string, string>? value = null) =>
        [.. api.Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (method, "/" + Parameter().Replace(endpoint.RoutePattern.RawText!.TrimStart('/'),
                    match => value?.Invoke(match.Groups["name"].Value) ?? "sweep-1"))))
            .Distinct()];

    private async Task<long[]> CountWritesAsync(string? tenant = null) =>
        await Task.WhenAll(WriteTables.Select(table => tenant is null
            ? LedgerRows.ScalarAsync(api.Database, $"SELECT count(*) FROM {table}")
            : LedgerRows.ScalarAsync(api.Database, $"SELECT count(*) FROM {table} WHERE tenant_id = $1", tenant)));

    [GeneratedRegex(@"\{(?<name>[^}:=?*]+)[^}]*\}")]
    private static partial Regex Parameter();
}
