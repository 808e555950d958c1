using Npgsql;

namespace FurnitureOps.Grains.Storage;

internal static class SqlCommands
{
    /// <summary>A command with positional parameters <c>$1…</c>; <c>null</c> values become SQL NULL.</summary>
    public static NpgsqlCommand Command(this NpgsqlDataSource dataSource, string sql, params object?[] values)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
