using System.Diagnostics;
using System.Text.RegularExpressions;
using FurnitureOps.Grains.Interfaces;

namespace FurnitureOps.Api.Http;

/// <summary>
/// Accepts the caller's <c>X-Request-ID</c> (1–128 of <c>[A-Za-z0-9._-]</c>) or makes a new one, and makes it
/// this request's identity: <see cref="HttpContext.TraceIdentifier"/> (so it is in every log scope), a span
/// tag, Orleans' RequestContext (so silo log lines carry it too), and a response header on every response,
/// errors included.
/// </summary>
public sealed partial class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string HeaderName = "X-Request-ID";

    public async Task InvokeAsync(HttpContext context)
    {
        var offered = context.Request.Headers[HeaderName].ToString();
        var requestId = ValidRequestId().IsMatch(offered) ? offered : Guid.NewGuid().ToString("N");

        context.TraceIdentifier = requestId;
        Activity.Current?.SetTag("http.request_id", requestId);
        RequestContext.Set(RequestContextKeys.RequestId, requestId);
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = requestId;
            return Task.CompletedTask;
        });

        // The host opened its request scope with the connection-based id before this ran; this scope wins.
        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = requestId }))
        {
            await next(context);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,128}$")]
    private static partial Regex ValidRequestId();
}
