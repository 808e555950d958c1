using FurnitureOps.Silo;

namespace FurnitureOps.Testing;

/// <summary>
/// The one migrated database of this test run, created on first use by the real migration command.
/// Tests share it and stay independent by using fresh keys (tenants, SKUs) for everything they touch.
/// </summary>
public static class TestDatabase
{
    private static readonly Lazy<Task<string>> Database = new(() => CreateAsync(durable: false));

    /// <summary>The shared test database (fast, non-durable server).</summary>
    public static Task<string> ConnectionStringAsync() => Database.Value;

    /// <summary>A database of its own on a server of its own; <paramref name="durable"/> as in <see cref="PostgresServer.StartAsync"/>.</summary>
    public static async Task<string> CreateAsync(bool durable)
    {
        var server = await PostgresServer.StartAsync(durable);
        var connectionString = await server.CreateDatabaseAsync($"furnitureops_test_{Guid.NewGuid():N}");
        var result = MigrateCommand.Apply(connectionString, new DbUp.Engine.Output.NoOpUpgradeLog());
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Migrations failed on {result.ErrorScript?.Name}.", result.Error);
        }

        return connectionString;
    }
}
