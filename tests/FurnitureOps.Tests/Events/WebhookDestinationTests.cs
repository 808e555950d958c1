using System.Net;
using FurnitureOps.Silo.Events;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace FurnitureOps.Tests.Events;

/// <summary>
/// Webhooks cannot be aimed inside the network: an internal destination is refused at registration (400
/// <c>webhook_url_forbidden</c>, nothing written) and again by the silo when it connects, whatever the name
/// resolves to by then. <c>Webhooks:AllowedDestinations</c> lets chosen hosts through.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class WebhookDestinationTests(ApiFixture api)
{
    private const string Secret = "0123456789abcdef0123456789abcdef-secret";

    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://2130706433/hook")] // 127.0.0.1 as one number
    [InlineData("http://localhost:9/hook")]
    [InlineData("http://receiver.localhost/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.16.5.4/hook")]
    [InlineData("http://192.168.0.10/hook")]
    [InlineData("http://100.64.0.1/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://0.0.0.0/hook")]
    [InlineData("http://192.0.2.2/hook")] // documentation range (this machine's own address in CI)
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[::ffff:10.0.0.1]/hook")]
    [InlineData("http://[fd12:3456::1]/hook")]
    [InlineData("http://[fe80::1]/hook")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/hook")] // 169.254.169.254 through NAT64
    public async Task AnInternalDestinationIsRefusedAtRegistrationAndNothingIsWritten(string url)
    {
        await using var production = await ProductionAsync(allowed: []);
        var client = TenantClient(production);

        var response = await client.PostJsonAsync("/v1/webhooks", new { url, secret = Secret });

        var problem = await response.AssertProblemAsync(400, "webhook_url_forbidden");
        Assert.Contains("Webhooks:AllowedDestinations", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("[]", (await (await client.GetAsync("/v1/webhooks")).JsonAsync()).GetProperty("webhooks").GetRawText());
    }

    [Fact]
    public async Task PublicAddressesAndAllowedDestinationsAreAccepted()
    {
        await using var production = await ProductionAsync(allowed: ["127.0.0.1", "10.20.0.0/16"]);
        var client = TenantClient(production);

        foreach (var url in new[] { "http://93.184.215.14/hook", "http://[2606:4700::1111]/hook", "http://127.0.0.1:9/hook", "http://10.20.3.4/hook" })
        {
            var response = await client.PostJsonAsync("/v1/webhooks", new { url, secret = Secret });
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await (await client.PostJsonAsync("/v1/webhooks", new { url = "http://10.21.0.1/hook", secret = Secret })).AssertProblemAsync(400, "webhook_url_forbidden");
    }

    [Fact]
    public void AnAllowListEntryThatIsNoHostAddressOrRangeStopsTheApiFromStarting()
    {
        var error = Assert.ThrowsAny<Exception>(() => Production(allowed: ["not a host/99"]));

        Assert.Contains("AllowedDestinations", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSiloWillNotConnectToAnInternalAddressWhateverWasRegistered()
    {
        await using var receiver = await WebhookReceiver.StartAsync(_ => Task.FromResult(204));
        var port = new Uri(receiver.Url).Port;

        // The silo's webhook client as AddEventDelivery builds it, in Production without an allow-list: the
        // address, and this machine's own name (which resolves to its own, internal, addresses, as a re-pointed
        // name would), are refused before any byte is sent.
        await using (var silo = WebhookClients(allowed: []))
        {
            var client = silo.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookSender.HttpClientName);
            foreach (var url in new[] { receiver.Url, $"http://{Dns.GetHostName()}:{port}/hook" })
            {
                var refused = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(url, new StringContent("{}")));
                Assert.Contains("webhook_url_forbidden", refused.Message, StringComparison.Ordinal);
            }

            Assert.Empty(receiver.Received);
        }

        await using (var silo = WebhookClients(allowed: ["127.0.0.1"]))
        {
            var client = silo.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookSender.HttpClientName);
            var response = await client.PostAsync(receiver.Url, new StringContent("{}"));

            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Single(receiver.Received);
        }
    }

    private ApiFactory Production(string[] allowed)
    {
        var settings = new Dictionary<string, string?> { ["Webhooks:AllowInsecureUrls"] = "true" };
        for (var i = 0; i < allowed.Length; i++)
        {
            settings[$"Webhooks:AllowedDestinations:{i}"] = allowed[i];
        }

        return api.CreateApi(api.ClusterId, settings, environment: "Production");
    }

    // Ready first: until its cluster client has a gateway, the API answers every route 503.
    private async Task<ApiFactory> ProductionAsync(string[] allowed)
    {
        var instance = Production(allowed);
        await ApiFixture.WaitUntilReadyAsync(instance.CreateClient());
        return instance;
    }

    private HttpClient TenantClient(ApiFactory instance)
    {
        var client = instance.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token($"t-{Guid.NewGuid():N}", []));
        return client;
    }

    private static ServiceProvider WebhookClients(string[] allowed)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(allowed.Select((entry, i) => KeyValuePair.Create($"Webhooks:AllowedDestinations:{i}", (string?)entry)))
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Production });
        services.AddLogging();
        services.AddEventDelivery();
        return services.BuildServiceProvider();
    }
}
