using NpgsqlTypes;

namespace FurnitureOps.Grains.Storage.Tables;

/// <summary>A column of a set-based statement: its name, its PostgreSQL type, and whether a value type may be null.</summary>
public sealed record TableColumn(string Name, NpgsqlDbType Type, bool Nullable = false)
{
    public static TableColumn Text(string name) => new(name, NpgsqlDbType.Text);

    public static TableColumn Bigint(string name) => new(name, NpgsqlDbType.Bigint);

    public static TableColumn NullableBigint(string name) => new(name, NpgsqlDbType.Bigint, Nullable: true);

    public static TableColumn Timestamp(string name) => new(name, NpgsqlDbType.TimestampTz);

    public static TableColumn NullableTimestamp(string name) => new(name, NpgsqlDbType.TimestampTz, Nullable: true);

    public static TableColumn Jsonb(string name) => new(name, NpgsqlDbType.Jsonb);

    public static TableColumn Uuid(string name) => new(name, NpgsqlDbType.Uuid);

    /// <summary>The type as SQL spells it, for the array casts of <c>unnest</c>.</summary>
    public string SqlType => Type switch
    {
        NpgsqlDbType.Text => "text",
        NpgsqlDbType.Bigint => "bigint",
        NpgsqlDbType.TimestampTz => "timestamptz",
        NpgsqlDbType.Jsonb => "jsonb",
        NpgsqlDbType.Uuid => "uuid",
        _ => throw new NotSupportedException($"Column {Name}: type {Type} is not supported in set-based statements."),
    };

    /// <summary>The CLR element type of this column's array parameter.</summary>
    public Type ElementType => Type switch
    {
        NpgsqlDbType.Text or NpgsqlDbType.Jsonb => typeof(string),
        NpgsqlDbType.Bigint => Nullable ? typeof(long?) : typeof(long),
        NpgsqlDbType.TimestampTz => Nullable ? typeof(DateTimeOffset?) : typeof(DateTimeOffset),
        NpgsqlDbType.Uuid => typeof(Guid),
        _ => throw new NotSupportedException($"Column {Name}: type {Type} is not supported in set-based statements."),
    };
}
