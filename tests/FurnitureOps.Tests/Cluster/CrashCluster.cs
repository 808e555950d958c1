using System.Net;
using FurnitureOps.Testing;
using FurnitureOps.Tests.Infrastructure;
using Npgsql;

namespace FurnitureOps.Tests.Cluster;

/// <summary>A database of its own, a silo process that the test kills and then replaces, and an API in front.</summary>
internal sealed class CrashCluster : IAsyncDisposable
{
    /// <summary>The tenant of every request the cluster's client sends.</summary>
    public const string Tenant = "t-crash";

    private readonly string _clusterId = $"saga-crash-{Guid.NewGuid():N}";
    private readonly string _name = $"saga-crash-{Guid.NewGuid():N}";
    private string _connectionString = null!;
    private SiloProcess? _silo;
    private ApiFactory _api = null!;
    private HttpClient _client = null!;

    public NpgsqlDataSource Database { get; private set; } = null!;

    /// <summary>The application name of the silo's commit connection.</summary>
    public string CommitLane => $"{_name}/commit";

    public static async Task<CrashCluster> StartAsync(ApiFixture fixture)
    {
        var connections = await TestDatabase.CreateAsync(durable: false);
        var cluster = new CrashCluster { Database = NpgsqlDataSource.Create(connections.Admin) };
        cluster._connectionString = new NpgsqlConnectionStringBuilder(connections.App) { ApplicationName = cluster._name }.ConnectionString;
        cluster.StartSilo();
        cluster._api = fixture.CreateApi(cluster._clusterId, new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connections.App,
            ["Orleans:Messaging:ResponseTimeout"] = "00:00:05", // the call caught by the kill ends sooner
        });
        cluster._client = cluster._api.CreateClient();
        cluster._client.DefaultRequestHeaders.Authorization = new("Bearer", fixture.Token(Tenant, []));
        await ApiFixture.WaitUntilReadyAsync(cluster._client);
        return cluster;
    }

    /// <summary>
    /// Starts a silo. The one after the kill starts a cluster of its own on the same database, as a restarted
    /// deployment does when its only silo died: nothing but the database carries over, and it need not wait
    /// for the dead silo to be voted out of the old cluster's membership first.
    /// </summary>
    public void StartSilo()
    {
        var clusterId = _silo is null ? _clusterId : $"{_clusterId}-restarted";
        _silo = SiloProcess.Start(_connectionString, clusterId, new Dictionary<string, string>
        {
            ["Pos__RetryPeriod"] = "00:00:01",
            ["Loyalty__AccrualRetryPeriod"] = "00:00:01",
            ["Sagas__SweepInterval"] = "00:00:00.200",
            ["Reservations__SweepInterval"] = "00:00:00.200",
            ["Holds__StepRetryPeriod"] = "00:00:01",
            ["Storage__CommandTimeout"] = "00:01:00", // the held transaction must outlive the test's barriers
        });
    }

    /// <summary>
    /// Kills the silo once its commit lane waits on <paramref name="held"/>; with <paramref name="next"/>, first
    /// lets that transaction through and waits until the lane's next one waits on that row instead. Then
    /// every lock is let go.
    /// </summary>
    public async Task KillWhileHeldAsync(RowLock held, (string Table, string KeyColumn, string Key)? next)
    {
        await held.UntilWaitedOnAsync(CommitLane);
        await using var then = next is { } row ? await HoldAsync(row) : null;
        if (then is not null)
        {
            await held.DisposeAsync();
            await then.UntilWaitedOnAsync(CommitLane);
        }

        await _silo!.Process.KillAsync();
        await held.DisposeAsync();
    }

    public Task<RowLock> HoldAsync((string Table, string KeyColumn, string Key) row) =>
        RowLock.TakeAsync(Database, row.Table, row.KeyColumn, Tenant, row.Key);

    public async Task CreateSkuAsync(string sku, long onHand) =>
        Assert.Equal(HttpStatusCode.Created, (await SendAsync("/v1/inventory", new { sku, name = "Oak chair", onHand }, $"create-{sku}")).StatusCode);

    public async Task AccrueAsync(string playerId, long points) => Assert.Equal(HttpStatusCode.OK, (await SendAsync(
        $"/v1/players/{playerId}/loyalty/accruals", new { points, sourceType = "visit", sourceId = "seed" }, $"seed-{playerId}")).StatusCode);

    public async Task<HttpResponseMessage> SendAsync(string path, object body, string key)
    {
        try
        {
            return await _client.PostJsonAsync(path, body, key);
        }
        catch (HttpRequestException)
        {
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        }
    }

    public Task<long> ScalarAsync(string sql, params object[] values) => LedgerRows.ScalarAsync(Database, sql, values);

    /// <summary>Waits (bounded) until the saga's row is finished in <paramref name="status"/>.</summary>
    public Task UntilFinishedAsync(string table, string keyColumn, string key, string status) => UntilAsync(
        $"SELECT count(*) FROM {table} WHERE {keyColumn} = $1 AND status = $2 AND next_attempt_at IS NULL", [key, status],
        $"SELECT status || ' ' || coalesce(next_attempt_at::text, '-') || ' ' || saga::text FROM {table} WHERE {keyColumn} = $1",
        $"the next silo finishes the saga of {table} row {key}");

    /// <summary>Waits (bounded) until the only row of the saga table <paramref name="table"/> is in <paramref name="status"/>.</summary>
    public Task UntilStatusAsync(string table, string status) => UntilAsync(
        $"SELECT count(*) FROM {table} WHERE status = $1", [status],
        $"SELECT string_agg(status || ' ' || coalesce(next_attempt_at::text, '-') || ' ' || saga::text, '; ') FROM {table} WHERE $1 <> ''",
        $"the next silo brings the {table} row to {status}");

    private Task UntilAsync(string countSql, object[] values, string describeSql, string what) => Poll.UntilAsync(
        async () => await ScalarAsync(countSql, values) == 1, what, TimeSpan.FromMinutes(2), async () =>
        {
            await using var command = Database.CreateCommand(describeSql);
            command.Parameters.Add(new() { Value = values[0] });
            return $"row: {await command.ExecuteScalarAsync()}; silo: {string.Join(" | ", _silo!.Process.LastLines(10))}";
        });

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
        await _silo!.DisposeAsync();
        await Database.DisposeAsync();
    }
}
