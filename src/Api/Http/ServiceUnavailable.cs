namespace FurnitureOps.Api.Http;

/// <summary>Writes a retryable 503 problem with <c>Retry-After</c>.</summary>
public static class ServiceUnavailable
{
    public static Task WriteAsync(HttpContext context, string code, string detail)
    {
        context.Response.Headers.RetryAfter = Problems.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Unavailable(code, detail).ExecuteAsync(context);
    }
}
