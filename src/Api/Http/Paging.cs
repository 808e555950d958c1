using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.Http;

/// <summary>Paging shared by list endpoints: an exclusive cursor (<c>after…</c>, or a ledger's <see cref="LedgerPaging"/>) and <c>limit</c>.</summary>
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
            errors["limit"] = [LimitMessage];
        }
    }

    /// <summary>The 400 for a <c>limit</c> outside 1–<see cref="MaxLimit"/> on a list without a cursor; null if it is fine.</summary>
    public static ProblemHttpResult? InvalidLimit(int? limit) =>
        limit is < 1 or > MaxLimit ? Problems.Validation("limit", LimitMessage) : null;

    private static readonly string LimitMessage = $"limit must be 1-{MaxLimit}.";
}
