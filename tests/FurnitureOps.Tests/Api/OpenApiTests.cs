using System.Net;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Api;

[Collection(ApiDefinition.Name)]
public sealed class OpenApiTests(ApiFixture api)
{
    [Fact]
    public async Task OpenApiDocumentDescribesTheInventoryAndAuditRoutes()
    {
        var document = await (await api.AnonymousClient().GetAsync("/openapi/v1.json")).JsonAsync();

        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/v1/inventory", paths);
        Assert.Contains("/v1/inventory/{sku}/sales", paths);
        Assert.Contains("/v1/inventory/{sku}/ledger", paths);
        Assert.Contains("/v1/audit", paths);
    }

    [Fact]
    public async Task BrowsableUiIsServed()
    {
        var response = await api.AnonymousClient().GetAsync("/docs/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
