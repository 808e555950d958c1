using Npgsql;

namespace FurnitureOps.Grains.Storage;

/// <summary>
/// The one way to bind single-row statements' values: positional parameters <c>$1…</c> in order, <c>null</c>
/// as SQL NULL, an <see cref="NpgsqlParameter"/> as given (to set its type). Set-based statements bind whole
/// columns instead (<see cref="Tables.RowSet"/>).
/// </summary>
public static class SqlCommands
{
    /// <summary>A command on a pooled connection of <paramref name="dataSource"/>.</summary>
    public static NpgsqlCommand Command(this NpgsqlDataSource dataSource, string sql, params object?[] values) =>
        Bind(dataSource.CreateCommand(sql), values);

    /// <summary>A command on an open <paramref name="connection"/>.</summary>
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, params object?[] values) =>
        Bind(new NpgsqlCommand(sql, connection), values);

    /// <summary>A statement for an <see cref="NpgsqlBatch"/>, bound the same way.</summary>
    public static NpgsqlBatchCommand BatchCommand(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        Bind(command.Parameters, values);
        return command;
    }

    private static NpgsqlCommand Bind(NpgsqlCommand command, object?[] values)
    {
        Bind(command.Parameters, values);
        return command;
    }

    private static void Bind(NpgsqlParameterCollection parameters, object?[] values)
    {
        foreach (var value in values)
        {
            parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value ?? DBNull.Value });
        }
    }
}
