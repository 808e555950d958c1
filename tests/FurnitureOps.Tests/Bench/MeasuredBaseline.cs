using FurnitureOps.Bench.Baseline;
using FurnitureOps.Bench.Targets;
using FurnitureOps.Tests.Infrastructure;
using Npgsql;

namespace FurnitureOps.Tests.Bench;

/// <summary>
/// The row-lock baseline as the bench measures it, on a server of its own (pg_stat_statements must be
/// preloaded): its target, the statement counter and the connection sampler.
/// </summary>
public sealed class MeasuredBaseline : IAsyncDisposable
{
    private MeasuredBaseline(NpgsqlDataSource admin, Statements statements, RowLockBaseline baseline, int maxConnections)
    {
        Admin = admin;
        Baseline = baseline;
        Target = new BaselineTarget(baseline, statements, maxConnections);
        Sampler = new ConnectionSampler(admin);
    }

    /// <summary>A superuser's connections to the server's <c>postgres</c> database.</summary>
    public NpgsqlDataSource Admin { get; }

    public RowLockBaseline Baseline { get; }

    public BaselineTarget Target { get; }

    public ConnectionSampler Sampler { get; }

    public static async Task<MeasuredBaseline> StartAsync(int maxConnections)
    {
        var (_, connections) = await TestDatabase.CreateWithServerAsync(durable: false, ["shared_preload_libraries=pg_stat_statements"]);
        var server = new NpgsqlConnectionStringBuilder(connections.Admin) { Database = "postgres" }.ConnectionString;
        var admin = NpgsqlDataSource.Create(server);
        var statements = await Statements.EnableAsync(admin);
        return new MeasuredBaseline(admin, statements, await RowLockBaseline.StartAsync(server), maxConnections);
    }

    public async ValueTask DisposeAsync()
    {
        Target.Dispose();
        await Baseline.DisposeAsync();
        await Admin.DisposeAsync();
    }
}
