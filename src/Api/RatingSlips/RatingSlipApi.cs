using System.Security.Cryptography;
using System.Text;
using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Http;
using FurnitureOps.Api.Idempotency;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.RatingSlips;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.RatingSlips;

public static class RatingSlipApi
{
    public static RouteGroupBuilder MapRatingSlipApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/rating-slips").WithTags("Rating slips");

        api.MapPost("", Open).RequireAuthorization(Scopes.SlipsWrite);
        api.MapGet("/attention", Attention).RequireAuthorization(Scopes.SlipsRead);
        api.MapGet("/{slipId}", Get).RequireAuthorization(Scopes.SlipsRead);
        api.MapPost("/{slipId}/complete", Complete).RequireAuthorization(Scopes.SlipsWrite);
        api.MapPost("/{slipId}/recover-loyalty", RecoverLoyalty).RequireAuthorization(Scopes.SlipsWrite);

        return api;
    }

    /// <summary>Opens a slip. Its id is derived from tenant and Idempotency-Key, so a retried open reaches the same slip.</summary>
    public static async Task<Results<Created<RatingSlipResponse>, ProblemHttpResult>> Open(
        OpenSlipRequest request, HttpContext http, IClusterClient cluster)
    {
        if (!CommandContexts.TryCreate(http, request, out var context, out var problem))
        {
            return problem!;
        }

        var slipId = SlipIdFor(http.User.Tenant(), context.IdempotencyKey);
        var outcome = await Slip(http, cluster, slipId).OpenAsync(new OpenSlip(request.PlayerId!, request.Game!, request.AverageBet!.Value), context);
        if (CommandContexts.KeyReusedOrMarkReplay(http, outcome) is { } keyReused)
        {
            return keyReused;
        }

        return outcome.Reply!.Slip is { } slip
            ? TypedResults.Created($"/v1/rating-slips/{slip.SlipId}", RatingSlipResponse.From(slip))
            : Rejection(outcome.Reply.Rejection!);
    }

    public static async Task<Results<Ok<SlipCompletedResponse>, Accepted<PartialCompletionResponse>, ProblemHttpResult>> Complete(
        string slipId, CompleteSlipRequest request, HttpContext http, IClusterClient cluster)
    {
        if (!TenantKey.IsValidIdentifier(slipId))
        {
            return InvalidSlipId();
        }

        if (!CommandContexts.TryCreate(http, request, out var context, out var problem))
        {
            return problem!;
        }

        return CompletionResult(http, await Slip(http, cluster, slipId).CompleteAsync(request.MinutesPlayed!.Value, context));
    }

    /// <summary>Retries a pending accrual now. Safe to call any number of times: the accrual is made once.</summary>
    public static async Task<Results<Ok<SlipCompletedResponse>, Accepted<PartialCompletionResponse>, ProblemHttpResult>> RecoverLoyalty(
        string slipId, HttpContext http, IClusterClient cluster)
    {
        if (!TenantKey.IsValidIdentifier(slipId))
        {
            return InvalidSlipId();
        }

        if (!CommandContexts.TryCreate<object?>(http, null, out var context, out var problem))
        {
            return problem!;
        }

        return CompletionResult(http, await Slip(http, cluster, slipId).RecoverLoyaltyAsync(context));
    }

    public static async Task<Results<Ok<RatingSlipResponse>, ProblemHttpResult>> Get(string slipId, HttpContext http, IClusterClient cluster)
    {
        if (!TenantKey.IsValidIdentifier(slipId))
        {
            return InvalidSlipId();
        }

        return await Slip(http, cluster, slipId).GetAsync() is { } slip
            ? TypedResults.Ok(RatingSlipResponse.From(slip))
            : Rejection(SlipReply.SlipNotFound);
    }

    /// <summary>The tenant's completed slips whose accrual is pending or stalled, least recently changed first.</summary>
    public static async Task<Results<Ok<RatingSlipAttentionList>, ProblemHttpResult>> Attention(int? limit, HttpContext http, IClusterClient cluster)
    {
        if (Paging.InvalidLimit(limit) is { } invalid)
        {
            return invalid;
        }

        var slips = await cluster.GetGrain<IRatingSlipAttentionGrain>(0).ListAsync(http.User.Tenant(), limit ?? Paging.DefaultLimit);
        return TypedResults.Ok(new RatingSlipAttentionList(slips));
    }

    private static Results<Ok<SlipCompletedResponse>, Accepted<PartialCompletionResponse>, ProblemHttpResult> CompletionResult(
        HttpContext http, CommandOutcome<SlipReply> outcome)
    {
        if (CommandContexts.KeyReusedOrMarkReplay(http, outcome) is { } keyReused)
        {
            return keyReused;
        }

        if (outcome.Reply!.Slip is not { } slip)
        {
            return Rejection(outcome.Reply.Rejection!);
        }

        var response = RatingSlipResponse.From(slip);
        return slip.Accrual switch
        {
            AccrualStatus.Accrued => TypedResults.Ok(new SlipCompletedResponse(response, response.AccrualEntry)),
            AccrualStatus.NotDue => Problems.Create(StatusCodes.Status409Conflict, "slip_not_completed",
                "The slip is still open.", "Complete the slip before recovering its loyalty accrual."),
            _ => TypedResults.Accepted($"/v1/rating-slips/{slip.SlipId}", new PartialCompletionResponse(
                PartialCompletionResponse.PartialCompletion, slip.SlipId, slip.CorrelationId,
                "The slip is closed; its loyalty accrual is pending and is retried automatically.", response)),
        };
    }

    private static ProblemHttpResult Rejection(string code) => code switch
    {
        SlipReply.SlipNotFound => Problems.Create(StatusCodes.Status404NotFound, code, "No such rating slip."),
        SlipReply.SlipExists => Problems.Create(StatusCodes.Status409Conflict, code, "The rating slip already exists."),
        _ => throw new InvalidOperationException($"Unmapped slip rejection '{code}'."),
    };

    private static string SlipIdFor(string tenantId, string idempotencyKey) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"rating-slip\n{tenantId}\n{idempotencyKey}")).AsSpan(0, 16));

    private static IRatingSlipGrain Slip(HttpContext http, IClusterClient cluster, string slipId) =>
        cluster.GetGrain<IRatingSlipGrain>(TenantKey.Format(http.User.Tenant(), slipId));

    private static ProblemHttpResult InvalidSlipId() => Problems.Validation("slipId", "slipId must be 1-64 of [A-Za-z0-9._-].");
}
