using Npgsql;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>Reads what the write path left in the database, for assertions.</summary>
public static class LedgerRows
{
    public sealed record Counts(long Ledger, long Audit, long Outbox, long Idempotency);

    public static async Task<Counts> CountAsync(NpgsqlDataSource db, string tenant, string sku) => new(
        await ScalarAsync(db, "SELECT count(*) FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2", tenant, sku),
        await ScalarAsync(db, "SELECT count(*) FROM audit_log WHERE tenant_id = $1 AND entity_type = 'sku' AND entity_id = $2", tenant, sku),
        await ScalarAsync(db, "SELECT count(*) FROM outbox WHERE tenant_id = $1 AND aggregate_type = 'sku' AND aggregate_id = $2", tenant, sku),
        await ScalarAsync(db, "SELECT count(*) FROM idempotency_records WHERE tenant_id = $1 AND scope = 'sku:' || $2", tenant, sku));

    /// <summary>The SKU's on hand as its state row has it.</summary>
    public static Task<long> OnHandAsync(NpgsqlDataSource db, string tenant, string sku) =>
        ScalarAsync(db, "SELECT on_hand FROM inventory_items WHERE tenant_id = $1 AND sku = $2", tenant, sku);

    /// <summary>How many transactions wrote this SKU's ledger rows (rows of one transaction share <c>xmin</c>).</summary>
    public static Task<long> TransactionCountAsync(NpgsqlDataSource db, string tenant, string sku) =>
        ScalarAsync(db, "SELECT count(DISTINCT xmin::text) FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2", tenant, sku);

    /// <summary>
    /// The ledger invariant: versions run 1..n without gaps, each row's before values (on hand, sold,
    /// reserved) equal the previous row's after values, each row moves on hand and sold by exactly what its
    /// operation and quantity say (so on hand = receipts − sales + returns ± adjustments, reservations moving
    /// none of it until a commit sells), and the last row equals the state row.
    /// </summary>
    public static async Task AssertChainIntactAsync(NpgsqlDataSource db, string tenant, string sku)
    {
        // One snapshot for ledger and state row: other tests may be committing to this SKU meanwhile.
        await using var connection = await db.OpenConnectionAsync();
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        await using var command = new NpgsqlCommand(
            """
            SELECT version, on_hand_before, on_hand_after, sold_before, sold_after, reserved_before, reserved_after, operation, quantity
            FROM inventory_ledger WHERE tenant_id = $1 AND sku = $2 ORDER BY version
            """, connection, snapshot);
        command.Parameters.Add(new() { Value = tenant });
        command.Parameters.Add(new() { Value = sku });
        long expectedVersion = 1, onHand = 0, sold = 0, reserved = 0;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                Assert.Equal(expectedVersion, reader.GetInt64(0));
                Assert.Equal(onHand, reader.GetInt64(1));
                Assert.Equal(sold, reader.GetInt64(3));
                Assert.Equal(reserved, reader.GetInt64(5));
                var (operation, quantity) = (reader.GetString(7), reader.GetInt64(8));
                var (onHandMove, soldMove) = operation switch
                {
                    "create" or "receive" or "adjust" => (quantity, 0L),
                    "sell" or "reservation_commit" => (-quantity, quantity),
                    "return" => (quantity, -quantity),
                    "reserve" or "reservation_release" or "reservation_expire" => (0L, 0L),
                    _ => throw new InvalidOperationException($"Unknown SKU ledger operation '{operation}'."),
                };
                Assert.Equal((operation, onHand + onHandMove, sold + soldMove), (operation, reader.GetInt64(2), reader.GetInt64(4)));
                onHand = reader.GetInt64(2);
                sold = reader.GetInt64(4);
                reserved = reader.GetInt64(6);
                expectedVersion++;
            }
        }

        Assert.True(expectedVersion > 1, $"SKU {sku} has no ledger rows.");
        await using var state = new NpgsqlCommand(
            "SELECT version, on_hand, sold, reserved FROM inventory_items WHERE tenant_id = $1 AND sku = $2", connection, snapshot);
        state.Parameters.Add(new() { Value = tenant });
        state.Parameters.Add(new() { Value = sku });
        await using var row = await state.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync(), $"SKU {sku} has no state row.");
        Assert.Equal((expectedVersion - 1, onHand, sold, reserved), (row.GetInt64(0), row.GetInt64(1), row.GetInt64(2), row.GetInt64(3)));
    }

    public static async Task<long> ScalarAsync(NpgsqlDataSource db, string sql, params object[] values)
    {
        await using var command = db.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    public static async Task<string?> ScalarTextAsync(NpgsqlDataSource db, string sql, params object[] values)
    {
        await using var command = db.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        return (string?)await command.ExecuteScalarAsync();
    }

    public static async Task ExecuteAsync(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
