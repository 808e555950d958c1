using Npgsql;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>
/// A real database failure inside the write path's transaction: while this is alive, inserting a ledger row
/// for the given SKU (or player) raises. Scoped to one entity so tests running alongside are unaffected.
/// </summary>
public sealed class FailingLedgerInserts : IAsyncDisposable
{
    private readonly NpgsqlDataSource _database;
    private readonly string _name = $"fail_{Guid.NewGuid():N}";

    private FailingLedgerInserts(NpgsqlDataSource database) => _database = database;

    private string _table = string.Empty;

    public static Task<FailingLedgerInserts> ForSkuAsync(NpgsqlDataSource database, string sku) =>
        ForAsync(database, "inventory_ledger", "sku", sku);

    public static Task<FailingLedgerInserts> ForPlayerAsync(NpgsqlDataSource database, string playerId) =>
        ForAsync(database, "loyalty_ledger", "player_id", playerId);

    private static async Task<FailingLedgerInserts> ForAsync(NpgsqlDataSource database, string table, string column, string value)
    {
        var failure = new FailingLedgerInserts(database) { _table = table };
        await LedgerRows.ExecuteAsync(database, $"""
            CREATE FUNCTION {failure._name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.{column} = '{value}' THEN RAISE EXCEPTION 'injected failure'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER {failure._name} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {failure._name}();
            """);
        return failure;
    }

    public async ValueTask DisposeAsync() =>
        await LedgerRows.ExecuteAsync(_database, $"DROP TRIGGER {_name} ON {_table}; DROP FUNCTION {_name}();");
}
