using System.Security.Claims;

namespace FurnitureOps.Api.Auth;

/// <summary>The claims this API reads, by their JWT names (inbound claim mapping is off).</summary>
public static class Claims
{
    public const string Subject = "sub";
    public const string TenantId = "tenant_id";
    public const string Scope = "scope";

    /// <summary>The tenant the caller acts for: from the token only, never from the request.</summary>
    public static string Tenant(this ClaimsPrincipal user) => Required(user, TenantId);

    /// <summary>The acting staff member or service.</summary>
    public static string Actor(this ClaimsPrincipal user) => Required(user, Subject);

    /// <summary>True if the space-separated <c>scope</c> claim (or repeated scope claims) contains <paramref name="scope"/>.</summary>
    public static bool HasScope(this ClaimsPrincipal user, string scope) =>
        user.FindAll(Scope).Any(claim => claim.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope, StringComparer.Ordinal));

    private static string Required(ClaimsPrincipal user, string type) =>
        user.FindFirst(type)?.Value ?? throw new InvalidOperationException($"Authenticated principal has no '{type}' claim.");
}
