namespace FurnitureOps.Api.Http;

/// <summary>Cursor paging shared by list endpoints: <c>after…</c> cursor (exclusive) and <c>limit</c>.</summary>
public static class Paging
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>Adds an error per bad paging parameter to <paramref name="errors"/>.</summary>
    public static void Validate(IDictionary<string, string[]> errors, string cursorName, long? cursor, int? limit)
    {
        if (cursor < 0)
        {
            errors[cursorName] = [$"{cursorName} must be 0 or more."];
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit must be 1-{MaxLimit}."];
        }
    }
}
