using Npgsql;
using NpgsqlTypes;

namespace FurnitureOps.Grains.Storage.Tables;

/// <summary>
/// The rows one set-based statement carries. Each column's values travel as one array parameter
/// (<c>$1</c> is the first column's array, and so on) and the statement reads them back with <c>unnest</c>,
/// so its text is the same whether it carries one row or five hundred: one statement per table per
/// transaction, prepared once, every value a parameter.
/// </summary>
public sealed class RowSet(IReadOnlyList<TableColumn> columns)
{
    private readonly List<object?[]> _rows = [];

    public IReadOnlyList<TableColumn> Columns { get; } = columns;

    public int Count => _rows.Count;

    /// <summary>Adds a row; <paramref name="values"/> are in <see cref="Columns"/> order.</summary>
    public void Add(params object?[] values)
    {
        if (values.Length != Columns.Count)
        {
            throw new ArgumentException($"A row has {values.Length} values for {Columns.Count} columns.", nameof(values));
        }

        _rows.Add(values);
    }

    /// <summary><c>unnest($1::text[], …) AS {alias}(col, …)</c>, the rows as a relation.</summary>
    public static string Unnest(IReadOnlyList<TableColumn> columns, string alias) =>
        $"unnest({string.Join(", ", columns.Select((column, i) => $"${i + 1}::{column.SqlType}[]"))}) " +
        $"AS {alias}({string.Join(", ", columns.Select(column => column.Name))})";

    /// <summary>A statement for a batch whose parameters are this set's columns, one array each.</summary>
    public NpgsqlBatchCommand Statement(string sql)
    {
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var parameter in Parameters())
        {
            statement.Parameters.Add(parameter);
        }

        return statement;
    }

    /// <summary>The same, as a command of its own on <paramref name="connection"/>.</summary>
    public NpgsqlCommand Command(string sql, NpgsqlConnection connection, NpgsqlTransaction? transaction)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var parameter in Parameters())
        {
            command.Parameters.Add(parameter);
        }

        return command;
    }

    private IEnumerable<NpgsqlParameter> Parameters() => Columns.Select((column, i) => new NpgsqlParameter
    {
        NpgsqlDbType = NpgsqlDbType.Array | column.Type,
        Value = ColumnValues(i),
    });

    private Array ColumnValues(int index)
    {
        var column = Columns[index];
        var values = Array.CreateInstance(column.ElementType, _rows.Count);
        for (var row = 0; row < _rows.Count; row++)
        {
            var value = _rows[row][index];
            if (value is null && column.ElementType.IsValueType && !column.Nullable)
            {
                throw new ArgumentException($"Column {column.Name} may not be null.");
            }

            values.SetValue(value, row);
        }

        return values;
    }
}
