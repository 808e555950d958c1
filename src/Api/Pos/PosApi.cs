using System.Security.Cryptography;
using System.Text;
using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Http;
using FurnitureOps.Api.Idempotency;
using FurnitureOps.Api.Telemetry;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Pos;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.Pos;

public static class PosApi
{
    public static RouteGroupBuilder MapPosApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/pos/events").WithTags("POS");

        api.MapPost("", Submit).RequireAuthorization(Scopes.PosIngest);
        api.MapGet("/{eventId}", Get).RequireAuthorization(Scopes.PosRead);

        return api;
    }

    /// <summary>
    /// Takes an event from a terminal. The first delivery answers 201 with the event id; every later delivery of
    /// the same event answers 204. Without an Idempotency-Key the key is the SHA-256 of the canonical body, so a
    /// terminal that forgets the header is deduplicated all the same.
    /// </summary>
    public static async Task<Results<Created<PosEventAccepted>, NoContent, ProblemHttpResult>> Submit(
        PosEventRequest request, HttpContext http, IClusterClient cluster, TimeProvider time)
    {
        if (request.OccurredAt > time.GetUtcNow() + PosLimits.MaxClockSkew)
        {
            return Problems.Validation("occurredAt", "occurredAt is in the future; check the terminal's clock.");
        }

        var fingerprint = RequestFingerprint.Compute(http, request);
        string key;
        if (!http.Request.Headers.ContainsKey(IdempotencyKeyHeader.Name))
        {
            key = $"body-sha256:{fingerprint}";
        }
        else if (!IdempotencyKeyHeader.TryRead(http.Request, out key, out var problem))
        {
            return problem!;
        }

        var tenant = http.User.Tenant();
        var eventId = EventIdFor(tenant, request.Source!, key);
        var outcome = await Event(cluster, tenant, eventId)
            .SubmitAsync(request.ToSubmission(), new CommandContext(key, fingerprint, http.User.Actor(), http.TraceIdentifier));

        var location = $"/v1/pos/events/{eventId}";
        switch (outcome.Status)
        {
            case IdempotencyStatus.KeyReused:
                return Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.IdempotencyKeyReused,
                    "This Idempotency-Key was used for a different POS event.",
                    "Use a new key for a new event; resend the original body to confirm the original event.");
            case IdempotencyStatus.Replayed:
                ApiMetrics.IngestDeduplicated(tenant, request.Source!);
                http.Response.Headers.Location = location;
                return TypedResults.NoContent();
            default:
                return TypedResults.Created(location, new PosEventAccepted(eventId, outcome.Reply!.Status));
        }
    }

    public static async Task<Results<Ok<PosEventResponse>, ProblemHttpResult>> Get(string eventId, HttpContext http, IClusterClient cluster)
    {
        if (!Guid.TryParseExact(eventId, "D", out var id))
        {
            return Problems.Validation("eventId", "eventId must be a UUID.");
        }

        return await Event(cluster, http.User.Tenant(), id).GetAsync() is { } view
            ? TypedResults.Ok(PosEventResponse.From(view))
            : Problems.Create(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "No such POS event.");
    }

    /// <summary>The event id: the same tenant, source and key always name the same event, and nothing else does.</summary>
    public static Guid EventIdFor(string tenant, string source, string key) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"pos-event\n{tenant}\n{source}\n{key}")).AsSpan(0, 16));

    private static IPosEventGrain Event(IClusterClient cluster, string tenant, Guid eventId) =>
        cluster.GetGrain<IPosEventGrain>(TenantKey.Format(tenant, eventId.ToString()));
}
