using FurnitureOps.Grains;
using FurnitureOps.Grains.Ledger;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Orleans.TestingHost;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>
/// One in-process Orleans silo running the real grains against a test database of its own. Ledger time is a
/// <see cref="FakeTimeProvider"/> so idempotency expiry can be tested without waiting a day.
/// </summary>
public class GrainClusterFixture : IAsyncLifetime
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private InProcessTestCluster? _cluster;

    public GrainClusterFixture()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <param name="settings">Silo configuration beyond the connection string (e.g. <c>Storage:Connections:CommitLanes</c>).</param>
    protected GrainClusterFixture(IReadOnlyDictionary<string, string?> settings) => _settings = settings;

    /// <summary>
    /// Starts a year back: records this cluster writes expire long before any record written on real time (the
    /// API tests), so a test that runs the (table-wide) idempotency janitor at fake time only purges its own kind.
    /// </summary>
    public FakeTimeProvider GrainTime { get; } = new(DateTimeOffset.UtcNow.AddDays(-365));

    /// <summary>A superuser connection to the test database, for assertions and fault injection.</summary>
    public NpgsqlDataSource Database { get; private set; } = null!;

    public IClusterClient Client => _cluster!.Client;

    /// <summary>The silo's services (the commit pipeline, for barriers on its queue).</summary>
    public IServiceProvider SiloServices => _cluster!.Silos[0].ServiceProvider;

    public async Task InitializeAsync()
    {
        // A database of its own: on the shared one, the API tests' silo sweeps on real time, a year ahead of this
        // cluster's clock, and would expire this cluster's reservations and holds and resume its sagas.
        var connections = await TestDatabase.CreateAsync(durable: false);
        Database = NpgsqlDataSource.Create(connections.Admin);

        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?>(_settings) { ["ConnectionStrings:Postgres"] = connections.App }));
        builder.ConfigureSilo((_, silo) => silo.Services
            .AddSingleton(new GrainClock(GrainTime))
            .AddFurnitureOpsGrains());
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        await Database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GrainClusterDefinition : ICollectionFixture<GrainClusterFixture>
{
    public const string Name = "grain cluster";
}
