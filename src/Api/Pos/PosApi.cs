using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
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
        api.MapPost("/{eventId}/resolve", Resolve).RequireAuthorization(Scopes.PosAdmin);
        api.MapPost("/{eventId}/retry", Retry).RequireAuthorization(Scopes.PosAdmin);
        routes.MapGet("/v1/pos/attention", Attention).WithTags("POS").RequireAuthorization(Scopes.PosRead);
        routes.MapGet("/v1/pos/pending", Pending).WithTags("POS").RequireAuthorization(Scopes.PosRead);

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
            return InvalidEventId();
        }

        return await Event(cluster, http.User.Tenant(), id).GetAsync() is { } view
            ? TypedResults.Ok(PosEventResponse.From(view))
            : EventNotFound();
    }

    /// <summary>
    /// An operator's resolution of an event that needs attention (an applied line could not be undone). The
    /// operator has put stock or points right by other means (an adjustment, a reward); this records who, how
    /// and when, with an audit row and a <c>pos.event_resolved.v1</c> event.
    /// </summary>
    public static async Task<Results<Ok<PosEventResponse>, ProblemHttpResult>> Resolve(
        string eventId, PosResolveRequest request, HttpContext http, IClusterClient cluster)
    {
        if (!Guid.TryParseExact(eventId, "D", out var id))
        {
            return InvalidEventId();
        }

        if (!CommandContexts.TryCreate(http, request, out var context, out var problem))
        {
            return problem!;
        }

        var outcome = await Event(cluster, http.User.Tenant(), id).ResolveAsync(request.Note!, context);
        if (outcome is { Reply: null, Status: IdempotencyStatus.Fresh })
        {
            return EventNotFound();
        }

        if (CommandContexts.KeyReusedOrMarkReplay(http, outcome) is { } keyReused)
        {
            return keyReused;
        }

        var (view, resolved) = (outcome.Reply!.Event, outcome.Reply.Resolved);
        if (resolved)
        {
            return TypedResults.Ok(PosEventResponse.From(view));
        }

        var status = StatusName(view.Status);
        return Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.PosEventNotNeedingAttention,
            "This POS event does not need attention.",
            view.Status == PosEventStatus.Resolved ? $"It was resolved by {view.Resolution!.ResolvedBy}." : $"Its status is {status}.",
            new Dictionary<string, object?> { ["eventStatus"] = status });
    }

    /// <summary>
    /// Runs the remaining steps of an event that is still pending (or compensating) now, instead of at the sagas'
    /// sweeper's next attempt, and answers the event as it stands afterwards: applied (or rejected, or needing
    /// attention) when the steps went through; still pending, with one more attempt and its error, when a step
    /// failed again. Every step replays its own key, so this is naturally idempotent: no Idempotency-Key is
    /// needed, and one that is sent is ignored.
    /// </summary>
    public static async Task<Results<Ok<PosEventResponse>, ProblemHttpResult>> Retry(string eventId, HttpContext http, IClusterClient cluster)
    {
        if (!Guid.TryParseExact(eventId, "D", out var id))
        {
            return InvalidEventId();
        }

        var grain = Event(cluster, http.User.Tenant(), id);
        if (await grain.GetAsync() is not { } before)
        {
            return EventNotFound();
        }

        if (before.Status is not (PosEventStatus.Pending or PosEventStatus.Compensating))
        {
            var status = StatusName(before.Status);
            return Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.PosEventNotPending,
                "This POS event has no steps left to run.", $"Its status is {status}.",
                new Dictionary<string, object?> { ["eventStatus"] = status });
        }

        // The sweeper's own resume: if the sweeper finished the saga meanwhile, this does nothing and the answer says so.
        await grain.ResumeAsync();
        return TypedResults.Ok(PosEventResponse.From((await grain.GetAsync())!));
    }

    /// <summary>The tenant's POS events that need an operator, oldest first.</summary>
    public static async Task<Results<Ok<PosAttentionList>, ProblemHttpResult>> Attention(int? limit, HttpContext http, IClusterClient cluster)
    {
        if (Paging.InvalidLimit(limit) is { } invalid)
        {
            return invalid;
        }

        var items = await cluster.GetGrain<IPosAttentionGrain>(0).ListAsync(http.User.Tenant(), limit ?? Paging.DefaultLimit);
        return TypedResults.Ok(new PosAttentionList(items));
    }

    /// <summary>The tenant's POS events whose saga has steps left (retried by the sagas' sweeper), oldest accepted first.</summary>
    public static async Task<Results<Ok<PosPendingList>, ProblemHttpResult>> Pending(int? limit, HttpContext http, IClusterClient cluster)
    {
        if (Paging.InvalidLimit(limit) is { } invalid)
        {
            return invalid;
        }

        var items = await cluster.GetGrain<IPosAttentionGrain>(0).ListPendingAsync(http.User.Tenant(), limit ?? Paging.DefaultLimit);
        return TypedResults.Ok(new PosPendingList(items));
    }

    /// <summary>The event id: the same tenant, source and key always name the same event, and nothing else does.</summary>
    public static Guid EventIdFor(string tenant, string source, string key) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"pos-event\n{tenant}\n{source}\n{key}")).AsSpan(0, 16));

    private static IPosEventGrain Event(IClusterClient cluster, string tenant, Guid eventId) =>
        cluster.GetGrain<IPosEventGrain>(TenantKey.Format(tenant, eventId.ToString()));

    /// <summary>A status as the API spells it (<c>needsAttention</c>).</summary>
    private static string StatusName(PosEventStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    private static ProblemHttpResult InvalidEventId() => Problems.Validation("eventId", "eventId must be a UUID.");

    private static ProblemHttpResult EventNotFound() => Problems.Create(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "No such POS event.");
}
