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

    /// <summary>The statements that took most of the server's execution time so far, across the bench's databases.</summary>
    public async Task<IReadOnlyList<StatementTime>> TopAsync(int count)
    {
        await using var command = admin.CreateCommand(
            """
            SELECT d.datname, left(regexp_replace(s.query, '\s+', ' ', 'g'), 160), s.calls, s.total_exec_time, s.mean_exec_time
            FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
            ORDER BY s.total_exec_time DESC LIMIT $1
            """);
        command.Parameters.Add(new() { Value = count });
        var top = new List<StatementTime>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            top.Add(new StatementTime(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetDouble(3), reader.GetDouble(4)));
        }

        return top;
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

/// <summary>One statement's share of the server's time: calls, total and mean execution milliseconds.</summary>
public sealed record StatementTime(string Database, string Query, long Calls, double TotalMilliseconds, double MeanMilliseconds);
