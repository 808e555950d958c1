using System.Net.Http.Headers;
using FurnitureOps.Api.Auth;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

[Collection(ApiDefinition.Name)]
public sealed class AuthTests(ApiFixture api) : ApiTestBase(api)
{
    [Fact]
    public async Task NoTokenIs401Problem()
    {
        var response = await Fixture.AnonymousClient().GetAsync($"/v1/inventory/{Sku}");

        await response.AssertProblemAsync(401, "unauthenticated");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task TokenSignedWithAnotherKeyIs401()
    {
        var client = Fixture.AnonymousClient();
        var forged = DevTokens.Issue(new string('x', 48), Tenant, "intruder", Scopes.All, TimeSpan.FromHours(1));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", forged);

        var response = await client.GetAsync($"/v1/inventory/{Sku}");

        await response.AssertProblemAsync(401, "unauthenticated");
    }

    [Fact]
    public async Task TokenWithoutAValidTenantIs401()
    {
        var client = Fixture.AnonymousClient();
        var token = DevTokens.Issue(Fixture.SigningKey, "not a tenant/id", "staff-1", Scopes.All, TimeSpan.FromHours(1));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var response = await client.GetAsync($"/v1/inventory/{Sku}");

        await response.AssertProblemAsync(401, "unauthenticated");
    }

    [Theory]
    [InlineData("GET", "/v1/inventory/{sku}", Scopes.InventoryWrite)]
    [InlineData("POST", "/v1/inventory/{sku}/sales", Scopes.InventoryRead)]
    [InlineData("POST", "/v1/inventory", Scopes.InventoryWrite)]
    [InlineData("PATCH", "/v1/inventory/{sku}", Scopes.InventoryWrite)]
    [InlineData("GET", "/v1/audit", Scopes.InventoryAdmin)]
    public async Task MissingScopeIs403AndWritesNothing(string method, string route, string otherScope)
    {
        await CreateSkuAsync(onHand: 5);
        var before = await CountRowsAsync();
        var client = Fixture.Client(Tenant, otherScope);

        var response = await client.SendRawAsync(new HttpMethod(method), route.Replace("{sku}", Sku, StringComparison.Ordinal),
            """{"sku":"X-1","name":"n","onHand":1,"quantity":1,"reason":"r"}""", "key-1");

        await response.AssertProblemAsync(403, "forbidden");
        Assert.Equal(before, await CountRowsAsync());
    }
}
