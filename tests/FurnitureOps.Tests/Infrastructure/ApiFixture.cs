using System.Net;
using System.Net.Http.Headers;
using FurnitureOps.Api.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>
/// The whole service over real HTTP: one silo and the API, finding each other through the PostgreSQL
/// membership table (so the clustering queries are exercised by the Orleans provider on every test run).
/// </summary>
public class ApiFixture : IAsyncLifetime
{
    public string SigningKey { get; } = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + Convert.ToBase64String(Guid.NewGuid().ToByteArray());

    public string ClusterId { get; } = $"api-tests-{Guid.NewGuid():N}";

    /// <summary>The tenant the fixture's HMAC keys act for.</summary>
    public string HmacTenant { get; } = $"machines-{Guid.NewGuid():N}";

    /// <summary>Secret of key <c>pos-1</c> (every inventory scope) and <c>reader-1</c> (inventory:read only).</summary>
    public string HmacSecret { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(36));

    /// <summary>A low reward budget so the rate-limit test needs few calls; every test has its own staff partition.</summary>
    public const int ManualRewardsPerMinute = 5;

    /// <summary>The services' connection (the application role).</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Connections by role to the test database.</summary>
    public TestConnections Connections { get; private set; } = null!;

    /// <summary>A superuser connection to the test database, for assertions and fault injection.</summary>
    public NpgsqlDataSource Database { get; private set; } = null!;

    public ApiFactory Api { get; private set; } = null!;

    public WebApplication Silo { get; private set; } = null!;

    /// <summary>Warnings and errors the silo logged, with their scopes.</summary>
    public CapturedLogs SiloLogs { get; } = new();

    /// <summary>Settings of the fixture's silo beyond <see cref="SiloHost"/>'s test defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? SiloSettings => null;

    /// <summary>
    /// The database: the suite's shared one. A fixture whose silo is configured differently needs one of its own,
    /// since every silo's sweepers work on every row of the database they reach.
    /// </summary>
    protected virtual Task<TestConnections> ConnectAsync() => TestDatabase.ConnectionsAsync();

    public virtual async Task InitializeAsync()
    {
        Connections = await ConnectAsync();
        ConnectionString = Connections.App;
        Database = NpgsqlDataSource.Create(Connections.Admin);
        Silo = await SiloHost.StartAsync(ConnectionString, ClusterId, SiloLogs, settings: SiloSettings);
        Api = CreateApi(ClusterId);
        await WaitUntilReadyAsync(Api.CreateClient());
    }

    /// <summary>An API instance for any cluster id (one without silos answers 503 until one joins).</summary>
    public ApiFactory CreateApi(
        string clusterId, IReadOnlyDictionary<string, string?>? overrides = null, ILoggerProvider? logs = null,
        Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? services = null, string environment = "Development")
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = ConnectionString,
            ["Orleans:ClusterId"] = clusterId,
            ["Auth:SigningKey"] = SigningKey,
            ["Hmac:Keys:pos-1:Secret"] = HmacSecret,
            ["Hmac:Keys:pos-1:TenantId"] = HmacTenant,
            ["Hmac:Keys:pos-1:Scopes"] = "inventory:read inventory:write inventory:admin pos:ingest pos:read",
            ["Hmac:Keys:reader-1:Secret"] = HmacSecret,
            ["Hmac:Keys:reader-1:TenantId"] = HmacTenant,
            ["Hmac:Keys:reader-1:Scopes"] = "inventory:read",
            ["Loyalty:ManualRewardsPerMinute"] = ManualRewardsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),

            // Every anonymous request of the suite comes from 127.0.0.1 and shares one budget cluster-wide;
            // the budget test (ClusterRateLimitTests) runs its own cluster with the production default.
            ["RateLimits:Anonymous:PermitLimit"] = "1000",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var api = new ApiFactory(settings, logs, services, environment);
        api.StartServer();
        return api;
    }

    /// <summary>A client carrying a development token for the tenant with the given scopes.</summary>
    public HttpClient Client(string tenant, params string[] scopes)
    {
        var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(tenant, scopes));
        return client;
    }

    public HttpClient AnonymousClient() => Api.CreateClient();

    public string Token(string tenant, string[] scopes, string subject = "staff-1") =>
        DevTokens.Issue(SigningKey, tenant, subject, scopes.Length == 0 ? Scopes.All : scopes, TimeSpan.FromHours(1));

    public virtual async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Silo.StopAsync();
        await Silo.DisposeAsync();
        await Database.DisposeAsync();
    }

    public static async Task WaitUntilReadyAsync(HttpClient client)
    {
        // Readiness is the barrier: the client has joined the cluster. Bounded so a broken setup fails fast.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var response = await client.GetAsync("/health/ready", timeout.Token);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            await Task.Delay(100, timeout.Token);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiDefinition : ICollectionFixture<ApiFixture>
{
    public const string Name = "api";
}
