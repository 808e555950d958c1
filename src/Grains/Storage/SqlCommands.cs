using Npgsql;

namespace FurnitureOps.Grains.Storage;

/// <summary>
/// The one way to bind single-row statements' values: positional parameters <c>$1…</c> in order, <c>null</c>
/// as SQL NULL, an <see cref="NpgsqlParameter"/> as given (to set its type). Set-based statements bind whole
/// columns instead (<see cref="Tables.RowSet"/>).
/// </summary>
internal static class SqlCommands
{
    /// <summary>A command on a pooled connection of <paramref name="dataSource"/>.</summary>
    public static NpgsqlCommand Command(this NpgsqlDataSource dataSource, string sql, params object?[] values) =>
        Bind(dataSource.CreateCommand(sql), values);

    /// <summary>A command on an open <paramref name="connection"/>.</summary>
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, params object?[] values) =>
        Bind(new NpgsqlCommand(sql, connection), values);

    private static NpgsqlCommand Bind(NpgsqlCommand command, object?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }
}
