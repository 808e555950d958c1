namespace FurnitureOps.Api.Http;

/// <summary>
/// How a ledger (a SKU's, a player's) is paged: oldest first after a version (<c>order=asc</c>, the default, with
/// <c>afterVersion</c>) or newest first before one (<c>order=desc</c>, with <c>beforeVersion</c>; absent = from the
/// newest). Each cursor is exclusive and belongs to one order only.
/// </summary>
public sealed record LedgerPaging(bool NewestFirst, long? Cursor, int Limit)
{
    public const string OldestFirstOrder = "asc";
    public const string NewestFirstOrder = "desc";

    /// <summary>The paging the query asks for; adds an error per bad parameter to <paramref name="errors"/> (then the result means nothing).</summary>
    public static LedgerPaging Read(IDictionary<string, string[]> errors, string? order, long? afterVersion, long? beforeVersion, int? limit)
    {
        Paging.Validate(errors, nameof(afterVersion), afterVersion, limit);
        Paging.Validate(errors, nameof(beforeVersion), beforeVersion, limit: null);
        var newestFirst = order == NewestFirstOrder;
        if (order is not (null or OldestFirstOrder or NewestFirstOrder))
        {
            errors["order"] = [$"order must be {OldestFirstOrder} (oldest first, the default) or {NewestFirstOrder} (newest first)."];
        }
        else if (newestFirst && afterVersion is not null)
        {
            errors[nameof(afterVersion)] = [$"afterVersion pages order={OldestFirstOrder}; page order={NewestFirstOrder} with beforeVersion."];
        }
        else if (!newestFirst && beforeVersion is not null)
        {
            errors[nameof(beforeVersion)] = [$"beforeVersion pages order={NewestFirstOrder}; page order={OldestFirstOrder} with afterVersion."];
        }

        return new LedgerPaging(newestFirst, newestFirst ? beforeVersion : afterVersion, limit ?? Paging.DefaultLimit);
    }

    /// <summary>
    /// The next page's cursors, (afterVersion, beforeVersion), after this page of <paramref name="entries"/>: the one of
    /// the other order is always null, and both are null when this page is the last.
    /// </summary>
    public (long? NextAfterVersion, long? NextBeforeVersion) Next<T>(IReadOnlyList<T> entries, Func<T, long> version)
    {
        if (entries.Count < Limit)
        {
            return (null, null);
        }

        var last = version(entries[^1]);
        return NewestFirst
            ? (null, last > 1 ? last : null) // version 1 is every ledger's first row: nothing is before it
            : (last, null);
    }
}
