using FurnitureOps.Bench.Baseline;
using FurnitureOps.Tests.Infrastructure;
using Npgsql;

namespace FurnitureOps.Tests.Bench;

/// <summary>
/// A row-lock baseline of its own per test (a fresh database on the API fixture's server), a client that names
/// a fresh tenant, and a way to read the tenant's rows back.
/// </summary>
public abstract class RowLockBaselineTestBase(ApiFixture api) : IAsyncLifetime, IDisposable
{
    protected string Tenant { get; } = $"t-{Guid.NewGuid():N}";

    protected RowLockBaseline Baseline { get; private set; } = null!;

    protected HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(api.Connections.Admin) { Database = "postgres" }.ConnectionString;
        Baseline = await RowLockBaseline.StartAsync(server, $"bench_baseline_test_{Guid.NewGuid():N}");
        Client = new HttpClient { BaseAddress = Baseline.BaseAddress };
        Client.DefaultRequestHeaders.Add("X-Tenant", Tenant);
    }

    public async Task DisposeAsync() => await Baseline.DisposeAsync();

    public void Dispose()
    {
        Client.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A number from the baseline's database, <c>$1</c> being the test's tenant.</summary>
    protected async Task<long> ScalarAsync(string sql)
    {
        await using var command = Baseline.Database.CreateCommand(sql);
        command.Parameters.Add(new() { Value = Tenant });
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
