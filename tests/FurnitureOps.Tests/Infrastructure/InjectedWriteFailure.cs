using Npgsql;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>
/// A real database failure: while this is alive, inserting or updating matching rows of one table raises.
/// Scoped to one entity (a SKU, a player, a slip) so tests running alongside are unaffected.
/// </summary>
public sealed class InjectedWriteFailure : IAsyncDisposable
{
    private readonly NpgsqlDataSource _database;
    private readonly string _table;
    private readonly string _name = $"fail_{Guid.NewGuid():N}";

    private InjectedWriteFailure(NpgsqlDataSource database, string table)
    {
        _database = database;
        _table = table;
    }

    /// <summary>Ledger rows of one SKU fail: the write path's transaction fails.</summary>
    public static Task<InjectedWriteFailure> ForSkuLedgerAsync(NpgsqlDataSource database, string sku) =>
        ForAsync(database, "inventory_ledger", $"NEW.sku = '{sku}'");

    /// <summary>Sales of one SKU under one order reference fail (e.g. a POS event's compensating sale); other sales go through.</summary>
    public static Task<InjectedWriteFailure> ForSkuSalesAsync(NpgsqlDataSource database, string sku, string reference) =>
        ForAsync(database, "inventory_ledger", $"NEW.sku = '{sku}' AND NEW.operation = 'sell' AND NEW.reference = '{reference}'");

    /// <summary>Ledger rows of one player fail: accruals, rewards and redemptions of that player fail.</summary>
    public static Task<InjectedWriteFailure> ForPlayerLedgerAsync(NpgsqlDataSource database, string playerId) =>
        ForAsync(database, "loyalty_ledger", $"NEW.player_id = '{playerId}'");

    /// <summary>Saving one saga's row (a POS event, a rating slip) fails: its commit-pipeline transaction fails.</summary>
    public static Task<InjectedWriteFailure> ForSagaRowAsync(NpgsqlDataSource database, string table, string keyColumn, string id) =>
        ForAsync(database, table, $"NEW.{keyColumn} = '{id}'");

    private static async Task<InjectedWriteFailure> ForAsync(NpgsqlDataSource database, string table, string condition)
    {
        var failure = new InjectedWriteFailure(database, table);
        await LedgerRows.ExecuteAsync(database, $"""
            CREATE FUNCTION {failure._name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {condition} THEN RAISE EXCEPTION 'injected failure'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER {failure._name} BEFORE INSERT OR UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION {failure._name}();
            """);
        return failure;
    }

    public async ValueTask DisposeAsync() =>
        await LedgerRows.ExecuteAsync(_database, $"DROP TRIGGER {_name} ON {_table}; DROP FUNCTION {_name}();");
}
