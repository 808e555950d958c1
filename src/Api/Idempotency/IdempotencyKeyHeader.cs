using FurnitureOps.Api.Http;
using FurnitureOps.Grains.Interfaces.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.Idempotency;

/// <summary>The <c>Idempotency-Key</c> header every POST and PATCH must carry: 1–255 printable ASCII characters, not under <see cref="SystemKeys.Prefix"/>.</summary>
public static class IdempotencyKeyHeader
{
    public const string Name = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotent-Replayed";
    public const int MaxLength = 255;

    /// <summary>Reads the key, or returns the 400 problem that explains what is wrong with it.</summary>
    public static bool TryRead(HttpRequest request, out string key, out ProblemHttpResult? problem)
    {
        key = string.Empty;
        problem = null;
        var values = request.Headers[Name];
        if (values.Count == 0 || string.IsNullOrEmpty(values.ToString()))
        {
            problem = Problems.Create(StatusCodes.Status400BadRequest, ProblemCodes.IdempotencyKeyMissing,
                "Idempotency-Key is required.", "Every POST and PATCH needs an Idempotency-Key header; reuse it to retry safely.");
            return false;
        }

        var value = values.ToString();
        if (values.Count > 1 || value.Length > MaxLength || value.Any(c => c is < ' ' or > '~'))
        {
            problem = Problems.Create(StatusCodes.Status400BadRequest, ProblemCodes.IdempotencyKeyInvalid,
                "Idempotency-Key is not valid.", $"Send one key of 1-{MaxLength} printable ASCII characters.");
            return false;
        }

        if (SystemKeys.IsReserved(value))
        {
            problem = Problems.Create(StatusCodes.Status400BadRequest, ProblemCodes.IdempotencyKeyReserved,
                "Idempotency-Key uses a reserved prefix.", $"Keys starting with '{SystemKeys.Prefix}' (in any case) are the system's own; choose another key.");
            return false;
        }

        key = value;
        return true;
    }
}
