using System.Text.Json;

namespace FurnitureOps.Api.Http;

/// <summary>
/// Applied to every problem+json the API writes, including the framework's own (validation, 404, 405):
/// every problem gets a stable <c>code</c>. No per-request members are added, so a replayed response is
/// byte-for-byte the stored one; the request id travels in the <c>X-Request-ID</c> header instead.
/// </summary>
public static class ProblemDefaults
{
    public static void Apply(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Extensions.Remove("traceId");
        if (problem is HttpValidationProblemDetails validation)
        {
            CamelCaseErrorKeys(validation);
        }

        if (!problem.Extensions.ContainsKey("code"))
        {
            problem.Extensions["code"] = problem.Status switch
            {
                StatusCodes.Status400BadRequest => ProblemCodes.ValidationFailed,
                StatusCodes.Status401Unauthorized => ProblemCodes.Unauthenticated,
                StatusCodes.Status403Forbidden => ProblemCodes.Forbidden,
                StatusCodes.Status404NotFound => ProblemCodes.NotFound,
                StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
                StatusCodes.Status413PayloadTooLarge => ProblemCodes.PayloadTooLarge,
                StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
                StatusCodes.Status429TooManyRequests => ProblemCodes.RateLimited,
                _ => ProblemCodes.InternalError,
            };
        }
    }

    // Built-in validation reports C# member names ("Quantity"); clients sent and expect JSON names ("quantity").
    private static void CamelCaseErrorKeys(HttpValidationProblemDetails validation)
    {
        var renamed = validation.Errors.ToDictionary(
            error => string.Join('.', error.Key.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName)),
            error => error.Value);
        validation.Errors.Clear();
        foreach (var (field, messages) in renamed)
        {
            validation.Errors[field] = messages;
        }
    }
}
