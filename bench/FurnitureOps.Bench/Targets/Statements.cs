using Npgsql;

namespace FurnitureOps.Bench.Targets;

/// <summary>
/// Counts statements a database has executed, from pg_stat_statements (the bench's server preloads it), so a
/// claim like "replays make no database round trip" is measured at the database, not inferred.
/// </summary>
public sealed class Statements(NpgsqlDataSource admin)
{
    public static async Task<Statements> EnableAsync(NpgsqlDataSource admin)
    {
        await admin.CreateCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").ExecuteNonQueryAsync();
        return new Statements(admin);
    }

    /// <summary>Calls of statements in <paramref name="database"/> whose text matches <paramref name="pattern"/> (a regex).</summary>
    public async Task<long> CountAsync(string database, string pattern)
    {
        await using var command = admin.CreateCommand(
            """
            SELECT coalesce(sum(s.calls), 0)::bigint FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            WHERE d.datname = $1 AND s.query ~* $2
            """);
        command.Parameters.Add(new() { Value = database });
        command.Parameters.Add(new() { Value = pattern });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
