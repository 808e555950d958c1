using System.Text.Json;
using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Http;
using FurnitureOps.Grains.Interfaces.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.Audit;

public sealed record AuditEntryResponse(
    long Id, DateTimeOffset At, string Actor, string Action, string EntityType, string EntityId,
    JsonElement? Before, JsonElement? After, string RequestId)
{
    public static AuditEntryResponse From(AuditEntry entry) =>
        new(entry.Id, entry.At, entry.Actor, entry.Action, entry.EntityType, entry.EntityId,
            Parse(entry.Before), Parse(entry.After), entry.RequestId);

    private static JsonElement? Parse(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}

public sealed record AuditPage(IReadOnlyList<AuditEntryResponse> Entries, long? NextAfterId);

public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/audit").WithTags("Audit");
        api.MapGet("", Query).RequireAuthorization(Scopes.AuditRead);
        return api;
    }

    /// <summary>The longest request id a row can carry (<see cref="RequestIdMiddleware"/> accepts no longer).</summary>
    public const int MaxRequestIdLength = 128;

    /// <summary>
    /// The caller's tenant's audit rows, oldest first; page with <c>afterId</c>. Filters combine: an entity type, an
    /// entity id (with or without its type) and the request id that caused the effects.
    /// </summary>
    public static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> Query(
        string? entityType, string? entityId, string? requestId, long? afterId, int? limit, HttpContext http, IClusterClient cluster)
    {
        var errors = new Dictionary<string, string[]>();
        Paging.Validate(errors, nameof(afterId), afterId, limit);
        if (requestId is { Length: 0 or > MaxRequestIdLength })
        {
            errors[nameof(requestId)] = [$"requestId must be 1-{MaxRequestIdLength} characters (an X-Request-ID the API answered)."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var pageSize = limit ?? Paging.DefaultLimit;
        var entries = await cluster.GetGrain<IAuditLogGrain>(0)
            .QueryAsync(new AuditQuery(http.User.Tenant(), entityType, entityId, afterId ?? 0, pageSize, requestId));
        return TypedResults.Ok(new AuditPage(
            entries.Select(AuditEntryResponse.From).ToList(),
            entries.Count == pageSize ? entries[^1].Id : null));
    }
}
