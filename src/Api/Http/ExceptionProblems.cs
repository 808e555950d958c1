using FurnitureOps.Grains.Interfaces.Ledger;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Orleans.Runtime;

namespace FurnitureOps.Api.Http;

/// <summary>
/// The one place exceptions become HTTP: bad request framing → 4xx, infrastructure → 503 with Retry-After
/// (nothing was applied, the same Idempotency-Key is safe to resend), anything else → 500.
/// </summary>
public sealed partial class ExceptionProblems(ILogger<ExceptionProblems> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case BadHttpRequestException bad:
                await BadRequest(bad, httpContext).ExecuteAsync(httpContext);
                return true;

            case StorageUnavailableException:
                LogUnavailable(logger, ProblemCodes.StorageUnavailable, exception);
                await ServiceUnavailable.WriteAsync(httpContext, ProblemCodes.StorageUnavailable,
                    "The change was not committed. Resend it with the same Idempotency-Key.");
                return true;

            case OverloadedException:
                LogUnavailable(logger, ProblemCodes.Overloaded, exception);
                await ServiceUnavailable.WriteAsync(httpContext, ProblemCodes.Overloaded,
                    "Too much work is queued for this item; nothing was applied. Retry shortly with the same Idempotency-Key.");
                return true;

            // Gateway lost, silo gone, no compatible silo while the cluster shuts down, or no answer in time.
            case OrleansException or TimeoutException:
                LogUnavailable(logger, ProblemCodes.ClusterUnavailable, exception);
                await ServiceUnavailable.WriteAsync(httpContext, ProblemCodes.ClusterUnavailable,
                    "The cluster did not answer. Resend the request with the same Idempotency-Key.");
                return true;

            default:
                LogUnhandled(logger, exception);
                await Problems.Create(StatusCodes.Status500InternalServerError, ProblemCodes.InternalError,
                    "An unexpected error occurred.").ExecuteAsync(httpContext);
                return true;
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult BadRequest(BadHttpRequestException exception, HttpContext context) =>
        exception.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => Problems.Create(StatusCodes.Status413PayloadTooLarge,
                ProblemCodes.PayloadTooLarge, "The request body is too large.", "Bodies are limited to 64 KB."),
            StatusCodes.Status415UnsupportedMediaType => Problems.Create(StatusCodes.Status415UnsupportedMediaType,
                ProblemCodes.ValidationFailed, "Send the body as application/json."),
            // The handler runs with the endpoint cleared; the feature keeps the one that failed to bind.
            _ when exception.InnerException is System.Text.Json.JsonException json => Validation(BodyErrors.Describe(json,
                context.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType)),
            _ => Validation(BodyErrors.Binding(exception.Message)),
        };

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult Validation((string Field, string Detail) error) =>
        Problems.Validation(error.Field, error.Detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered 503 {Code}")]
    private static partial void LogUnavailable(ILogger logger, string code, Exception error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception")]
    private static partial void LogUnhandled(ILogger logger, Exception error);
}
