using Npgsql;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>
/// A row locked (<c>FOR UPDATE</c>) from a transaction of the test's own, until disposed: a way to hold a
/// commit lane's transaction in flight, waiting in PostgreSQL, at a moment the test chooses (a SKU's state
/// row, a player's, a saga's).
/// </summary>
public sealed class RowLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly NpgsqlDataSource _database;
    private readonly int _holder;
    private bool _released;

    private RowLock(NpgsqlConnection connection, NpgsqlTransaction transaction, NpgsqlDataSource database, int holder)
    {
        _connection = connection;
        _transaction = transaction;
        _database = database;
        _holder = holder;
    }

    public static Task<RowLock> TakeAsync(NpgsqlDataSource database, string tenant, string sku) =>
        TakeAsync(database, "inventory_items", "sku", tenant, sku);

    /// <summary>Locks the row of <paramref name="table"/> keyed (<c>tenant_id</c>, <paramref name="keyColumn"/>); it must exist.</summary>
    public static async Task<RowLock> TakeAsync(NpgsqlDataSource database, string table, string keyColumn, string tenant, string key)
    {
        var connection = await database.OpenConnectionAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT pg_backend_pid() FROM {table} WHERE tenant_id = $1 AND {keyColumn} = $2 FOR UPDATE", connection, transaction);
        command.Parameters.Add(new() { Value = tenant });
        command.Parameters.Add(new() { Value = key });
        var holder = await command.ExecuteScalarAsync() ?? throw new InvalidOperationException($"No {table} row {tenant}/{key} to lock.");
        return new RowLock(connection, transaction, database, (int)holder);
    }

    /// <summary>
    /// Returns once a backend waits on this lock: any, or only one whose <c>application_name</c> is
    /// <paramref name="applicationName"/> (e.g. <c>{name}/commit</c>, one silo's commit lane).
    /// </summary>
    public Task UntilWaitedOnAsync(string? applicationName = null) => Poll.UntilAsync(
        async () => await LedgerRows.ScalarAsync(_database,
            "SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid)) AND ($2 = '' OR application_name = $2)",
            _holder, applicationName ?? string.Empty) > 0,
        "a commit lane waits on the held row");

    public async ValueTask DisposeAsync()
    {
        if (!_released)
        {
            _released = true;
            await _transaction.CommitAsync();
            await _connection.DisposeAsync();
        }
    }
}
