using Npgsql;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>
/// A real database failure inside the write path's transaction: while this is alive, inserting a ledger row
/// for the given SKU raises. Scoped to one SKU so tests running alongside are unaffected.
/// </summary>
public sealed class FailingLedgerInserts : IAsyncDisposable
{
    private readonly NpgsqlDataSource _database;
    private readonly string _name = $"fail_{Guid.NewGuid():N}";

    private FailingLedgerInserts(NpgsqlDataSource database) => _database = database;

    public static async Task<FailingLedgerInserts> ForSkuAsync(NpgsqlDataSource database, string sku)
    {
        var failure = new FailingLedgerInserts(database);
        await LedgerRows.ExecuteAsync(database, $"""
            CREATE FUNCTION {failure._name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.sku = '{sku}' THEN RAISE EXCEPTION 'injected failure'; END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER {failure._name} BEFORE INSERT ON inventory_ledger FOR EACH ROW EXECUTE FUNCTION {failure._name}();
            """);
        return failure;
    }

    public async ValueTask DisposeAsync() =>
        await LedgerRows.ExecuteAsync(_database, $"DROP TRIGGER {_name} ON inventory_ledger; DROP FUNCTION {_name}();");
}
