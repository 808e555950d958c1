using System.Net;
using FurnitureOps.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FurnitureOps.Tests.Console;

/// <summary>A fresh tenant and SKU per test, an API client with every scope for it, and a way to open the console.</summary>
[Collection(ConsoleDefinition.Name)]
public abstract class ConsoleTestBase(ConsoleFixture fixture, ITestOutputHelper output)
{
    protected ConsoleFixture Fixture { get; } = fixture;

    protected ITestOutputHelper Output { get; } = output;

    protected string Tenant { get; } = $"t-{Guid.NewGuid():N}";

    protected string Sku { get; } = $"SKU-{Guid.NewGuid():N}";

    protected HttpClient Client => field ??= Fixture.Client(Tenant);

    protected bool NoBrowser => ConsoleSkip.NoBrowser(Fixture, Output);

    /// <summary>Opens the console at <paramref name="path"/> through the development link, with a token of the given scopes (all by default).</summary>
    protected Task<ConsolePage> OpenAsync(string path, params string[] scopes) =>
        ConsolePage.OpenAsync(Fixture, path, ConsolePage.Token(Fixture, Tenant, scopes));

    protected async Task CreateSkuAsync(long onHand)
    {
        var response = await Client.PostJsonAsync("/v1/inventory", new { sku = Sku, name = "Oak chair", onHand });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}
