using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.Auth;

/// <summary>
/// Who the caller is to this API: the subject and tenant it acts as and the scopes it holds, as the API validated
/// them. The console hides the actions a token's scopes would refuse; the API still enforces every one.
/// </summary>
public sealed record CallerResponse(string Subject, string TenantId, IReadOnlyList<string> Scopes, DateTimeOffset? ExpiresAt);

public static class CallerApi
{
    public static RouteHandlerBuilder MapCallerApi(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/v1/me", Get).WithTags("Auth").RequireAuthorization();

    public static Ok<CallerResponse> Get(HttpContext http)
    {
        var user = http.User;
        var scopes = Auth.Scopes.All.Where(user.HasScope).ToList();
        var expiresAt = long.TryParse(user.FindFirst("exp")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp)
            : (DateTimeOffset?)null;
        return TypedResults.Ok(new CallerResponse(user.Actor(), user.Tenant(), scopes, expiresAt));
    }
}
