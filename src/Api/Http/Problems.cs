using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace FurnitureOps.Api.Http;

/// <summary>Builds RFC 9457 problem responses that always carry a stable <c>code</c>.</summary>
public static class Problems
{
    /// <summary>Seconds a client should wait before retrying after a 503.</summary>
    public const int RetryAfterSeconds = 1;

    public static ProblemHttpResult Create(int status, string code, string title, string? detail = null,
        IDictionary<string, object?>? extensions = null)
    {
        var problem = new ProblemDetails { Status = status, Title = title, Detail = detail };
        problem.Extensions["code"] = code;
        foreach (var (name, value) in extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[name] = value;
        }

        return TypedResults.Problem(problem);
    }

    public static ProblemHttpResult Validation(IDictionary<string, string[]> errors) =>
        Create(StatusCodes.Status400BadRequest, ProblemCodes.ValidationFailed, "The request is not valid.",
            "See 'errors' for what to fix.", new Dictionary<string, object?> { ["errors"] = errors });

    public static ProblemHttpResult Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>A 503 the client may retry; callers add the <c>Retry-After</c> header.</summary>
    public static ProblemHttpResult Unavailable(string code, string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, code, "The service is temporarily unavailable.", detail);
}
