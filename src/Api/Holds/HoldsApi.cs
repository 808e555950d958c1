using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Http;
using FurnitureOps.Api.Idempotency;
using FurnitureOps.Api.Inventory;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Holds;
using FurnitureOps.Grains.Interfaces.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.Holds;

/// <summary>
/// Multi-line stock holds (a checkout): every line reserved or none, then committed (sold), released, or
/// expired by the system. Every mutation takes an <c>Idempotency-Key</c>; a resend replays the first answer.
/// </summary>
public static class HoldsApi
{
    public static RouteGroupBuilder MapHoldsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/holds").WithTags("Inventory");

        api.MapPost("", Place).RequireAuthorization(Scopes.InventoryWrite);
        api.MapGet("/{holdId}", Get).RequireAuthorization(Scopes.InventoryRead);
        api.MapPost("/{holdId}/commit", Commit).RequireAuthorization(Scopes.InventoryWrite);
        api.MapPost("/{holdId}/release", Release).RequireAuthorization(Scopes.InventoryWrite);

        return api;
    }

    /// <summary>Places a hold. Its id is derived from tenant and Idempotency-Key, so a retried placement reaches the same hold.</summary>
    public static async Task<Results<Created<HoldResponse>, Ok<HoldResponse>, ProblemHttpResult>> Place(
        HoldRequest request, HttpContext http, IClusterClient cluster, TimeProvider time)
    {
        if (!CommandContexts.TryCreate(http, request, out var context, out var problem))
        {
            return problem!;
        }

        var command = new PlaceStockHold(request.Lines!.Select(line => new StockHoldLine(line.Sku!, line.Quantity!.Value)).ToList(),
            HoldLimits.ExpiresAt(time, request.ExpiresInSeconds), request.Reference);
        var holdId = StockHoldIds.For(http.User.Tenant(), context.IdempotencyKey);
        return ToHttp(http, await Hold(http, cluster, holdId).PlaceAsync(command, context), created: true);
    }

    public static async Task<Results<Ok<HoldResponse>, ProblemHttpResult>> Get(string holdId, HttpContext http, IClusterClient cluster)
    {
        if (Invalid(holdId, out var id) is { } invalid)
        {
            return invalid;
        }

        return await Hold(http, cluster, id).GetAsync() is { } hold
            ? TypedResults.Ok(HoldResponse.From(hold))
            : Rejection(new StockHoldRejection(StockHoldRejection.HoldNotFound), null);
    }

    public static Task<Results<Created<HoldResponse>, Ok<HoldResponse>, ProblemHttpResult>> Commit(
        string holdId, HttpContext http, IClusterClient cluster) =>
        ResolveAsync(holdId, http, cluster, (hold, context) => hold.CommitAsync(context));

    public static Task<Results<Created<HoldResponse>, Ok<HoldResponse>, ProblemHttpResult>> Release(
        string holdId, HttpContext http, IClusterClient cluster) =>
        ResolveAsync(holdId, http, cluster, (hold, context) => hold.ReleaseAsync(context));

    private static async Task<Results<Created<HoldResponse>, Ok<HoldResponse>, ProblemHttpResult>> ResolveAsync(
        string holdId, HttpContext http, IClusterClient cluster, Func<IStockHoldGrain, CommandContext, Task<CommandOutcome<StockHoldReply>>> step)
    {
        if (Invalid(holdId, out var id) is { } invalid)
        {
            return invalid;
        }

        if (!CommandContexts.TryCreate(http, new { holdId = id }, out var context, out var problem))
        {
            return problem!;
        }

        return ToHttp(http, await step(Hold(http, cluster, id), context), created: false);
    }

    /// <summary>Deterministic in the stored reply, so a replay answers the same status and body as the first call.</summary>
    private static Results<Created<HoldResponse>, Ok<HoldResponse>, ProblemHttpResult> ToHttp(
        HttpContext http, CommandOutcome<StockHoldReply> outcome, bool created)
    {
        if (CommandContexts.KeyReusedOrMarkReplay(http, outcome) is { } keyReused)
        {
            return keyReused;
        }

        var reply = outcome.Reply!;
        if (reply.Rejection is { } rejection)
        {
            return Rejection(rejection, reply.Hold);
        }

        var response = HoldResponse.From(reply.Hold!);
        return created ? TypedResults.Created($"/v1/holds/{response.HoldId}", response) : TypedResults.Ok(response);
    }

    private static ProblemHttpResult Rejection(StockHoldRejection rejection, StockHoldView? hold)
    {
        var extensions = new Dictionary<string, object?>();
        if (hold is not null)
        {
            extensions["hold"] = HoldResponse.From(hold);
        }

        var sku = rejection.Line is { } line ? hold?.Lines[line].Sku : null;
        if (rejection.Line is not null)
        {
            extensions["line"] = rejection.Line;
            extensions["sku"] = sku;
        }

        return rejection.Code switch
        {
            StockHoldRejection.InsufficientStock => Problems.Create(StatusCodes.Status409Conflict, rejection.Code,
                "Not enough stock for a line; nothing is held.",
                $"Line {rejection.Line} ({sku}) has only {rejection.Available} available.",
                With(extensions, "available", rejection.Available)),
            StockHoldRejection.SkuNotFound => Problems.Create(StatusCodes.Status404NotFound, rejection.Code,
                "A line's SKU does not exist; nothing is held.", $"Line {rejection.Line} ({sku}).", extensions),
            StockHoldRejection.HoldNotFound => Problems.Create(StatusCodes.Status404NotFound, rejection.Code, "No such hold."),
            StockHoldRejection.HoldNotHeld => Problems.Create(StatusCodes.Status409Conflict, rejection.Code,
                "The hold is no longer held.", $"It was {rejection.HoldStatus}.", With(extensions, "holdStatus", rejection.HoldStatus)),
            StockHoldRejection.HoldExists => Problems.Create(StatusCodes.Status409Conflict, rejection.Code, "The hold already exists."),
            _ => throw new InvalidOperationException($"Unmapped hold rejection '{rejection.Code}'."),
        };
    }

    private static Dictionary<string, object?> With(Dictionary<string, object?> extensions, string name, object? value)
    {
        extensions[name] = value;
        return extensions;
    }

    private static ProblemHttpResult? Invalid(string holdId, out Guid id) =>
        Guid.TryParseExact(holdId, "D", out id) ? null : Problems.Validation("holdId", "holdId must be a UUID.");

    private static IStockHoldGrain Hold(HttpContext http, IClusterClient cluster, Guid holdId) =>
        cluster.GetGrain<IStockHoldGrain>(TenantKey.Format(http.User.Tenant(), holdId.ToString()));
}
