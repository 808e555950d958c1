using System.Net;
using System.Text.Json;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace FurnitureOps.Tests.Api;

/// <summary>Liveness, startup and readiness of API and silo, as JSON with each check's status and duration.</summary>
[Collection(ApiDefinition.Name)]
public sealed class HealthModelTests(ApiFixture api)
{
    [Theory]
    [InlineData("/livez", new string[0])]
    [InlineData("/startupz", new[] { "configuration", "cluster" })]
    [InlineData("/health/ready", new[] { "cluster", "postgres", "shutdown" })]
    public async Task ApiHealthEndpointsReportEachCheck(string path, string[] checks)
    {
        var response = await api.AnonymousClient().GetAsync(path);

        await AssertHealthyAsync(response, checks);
    }

    [Theory]
    [InlineData("/livez", new string[0])]
    [InlineData("/startupz", new[] { "migrations", "configuration", "cluster" })]
    [InlineData("/health/ready", new[] { "postgres", "storage-circuit", "cluster", "shutdown" })]
    public async Task SiloHealthEndpointsReportEachCheck(string path, string[] checks)
    {
        using var silo = new HttpClient { BaseAddress = new Uri(api.Silo.Urls.First()) };

        var response = await silo.GetAsync(path);

        var report = await AssertHealthyAsync(response, checks);
        if (checks.Contains("migrations"))
        {
            Assert.Contains("migrations applied", report.GetProperty("entries").GetProperty("migrations").GetProperty("description").GetString(),
                StringComparison.Ordinal);
        }
    }

    private static async Task<JsonElement> AssertHealthyAsync(HttpResponseMessage response, string[] checks)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.JsonAsync();
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        var entries = report.GetProperty("entries");
        Assert.Equal(checks.Order(), entries.EnumerateObject().Select(e => e.Name).Order());
        foreach (var entry in entries.EnumerateObject())
        {
            Assert.Equal("Healthy", entry.Value.GetProperty("status").GetString());
            Assert.True(TimeSpan.TryParse(entry.Value.GetProperty("duration").GetString(), System.Globalization.CultureInfo.InvariantCulture, out _));
        }

        return report;
    }
}
