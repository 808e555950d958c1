using Npgsql;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>Reads what the write path left of one player's loyalty balance, for assertions.</summary>
public static class PlayerLedgerRows
{
    /// <summary>
    /// The loyalty ledger invariant: versions run 1..n without gaps, each row's before values (balance, held)
    /// equal the previous row's after values, the last row equals the state row, and the state row's held is
    /// what its held points holds add up to.
    /// </summary>
    public static async Task AssertChainIntactAsync(NpgsqlDataSource db, string tenant, string player)
    {
        // One snapshot for ledger, holds and state row: other tests may be committing to this player meanwhile.
        await using var connection = await db.OpenConnectionAsync();
        await using var snapshot = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        long expectedVersion = 1, balance = 0, held = 0;
        await using (var ledger = Command(connection, snapshot,
            "SELECT version, balance_before, balance_after, held_before, held_after FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2 ORDER BY version",
            tenant, player))
        await using (var reader = await ledger.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                Assert.Equal((expectedVersion, balance, held), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(3)));
                (balance, held) = (reader.GetInt64(2), reader.GetInt64(4));
                expectedVersion++;
            }
        }

        Assert.True(expectedVersion > 1, $"Player {player} has no ledger rows.");
        await using (var state = Command(connection, snapshot,
            "SELECT version, balance, held FROM loyalty_players WHERE tenant_id = $1 AND player_id = $2", tenant, player))
        await using (var row = await state.ExecuteReaderAsync())
        {
            Assert.True(await row.ReadAsync(), $"Player {player} has no state row.");
            Assert.Equal((expectedVersion - 1, balance, held), (row.GetInt64(0), row.GetInt64(1), row.GetInt64(2)));
        }

        await using var holds = Command(connection, snapshot,
            "SELECT coalesce(sum(points), 0) FROM loyalty_holds WHERE tenant_id = $1 AND player_id = $2 AND status = 'held'", tenant, player);
        Assert.Equal(held, Convert.ToInt64(await holds.ExecuteScalarAsync()));
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        return command;
    }
}
