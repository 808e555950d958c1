using FurnitureOps.Silo;
using Npgsql;

namespace FurnitureOps.Testing;

/// <summary>
/// Connections to one migrated test database, by role: <see cref="Admin"/> (superuser: assertions and fault
/// injection), <see cref="Owner"/> (owns the schema, runs migrations) and <see cref="App"/> (what silos and
/// the API connect as, with only the grants migration 0005 gives it).
/// </summary>
public sealed record TestConnections(string Admin, string Owner, string App);

/// <summary>
/// The one migrated database of this test run, created on first use by the real migration command, as in
/// production: migrations as the owner role, services as the application role. Tests share it and stay
/// independent by using fresh keys (tenants, SKUs, players) for everything they touch.
/// </summary>
public static class TestDatabase
{
    private static readonly Lazy<Task<TestConnections>> Shared = new(() => CreateAsync(durable: false));

    /// <summary>The shared test database (fast, non-durable server).</summary>
    public static Task<TestConnections> ConnectionsAsync() => Shared.Value;

    /// <summary>A database of its own on a server of its own; <paramref name="durable"/> as in <see cref="PostgresServer.StartAsync"/>.</summary>
    public static async Task<TestConnections> CreateAsync(bool durable) => (await CreateWithServerAsync(durable)).Connections;

    /// <summary>As <see cref="CreateAsync"/>, also handing out the server, for tests that stop and start it.</summary>
    /// <param name="durable">As in <see cref="PostgresServer.StartAsync"/>.</param>
    /// <param name="settings">More server settings, as in <see cref="PostgresServer.StartAsync"/>.</param>
    /// <param name="migrateThrough">Only the migrations up to this number (e.g. "0009"), for upgrade tests; apply the rest with <see cref="Migrate"/>.</param>
    public static async Task<(PostgresServer Server, TestConnections Connections)> CreateWithServerAsync(
        bool durable, IEnumerable<string>? settings = null, string? migrateThrough = null)
    {
        var server = await PostgresServer.StartAsync(durable, settings);
        var name = $"furnitureops_test_{Guid.NewGuid():N}";
        var ownerPassword = Guid.NewGuid().ToString("N");
        var appPassword = Guid.NewGuid().ToString("N");
        await using (var admin = new NpgsqlConnection(server.AdminConnectionString))
        {
            await admin.OpenAsync();
            await ExecuteAsync(admin, $"""
                DO $$ BEGIN
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'furnitureops_owner') THEN CREATE ROLE furnitureops_owner LOGIN; END IF;
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'furnitureops_app') THEN CREATE ROLE furnitureops_app LOGIN; END IF;
                END $$;
                ALTER ROLE furnitureops_owner PASSWORD '{ownerPassword}';
                ALTER ROLE furnitureops_app PASSWORD '{appPassword}';
                """);
            await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\" OWNER furnitureops_owner");
        }

        var database = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name, MaxPoolSize = 100 };
        var connections = new TestConnections(
            database.ConnectionString,
            new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = "furnitureops_owner", Password = ownerPassword }.ConnectionString,
            new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = "furnitureops_app", Password = appPassword }.ConnectionString);

        Migrate(connections, migrateThrough);
        return (server, connections);
    }

    /// <summary>Applies the migrations not applied yet (up to <paramref name="through"/>), as the schema owner.</summary>
    public static void Migrate(TestConnections connections, string? through = null)
    {
        var result = MigrateCommand.Apply(connections.Owner, new DbUp.Engine.Output.NoOpUpgradeLog(), through);
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Migrations failed on {result.ErrorScript?.Name}.", result.Error);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
