using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Http;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Loyalty;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.Loyalty;

/// <summary>
/// Points holds of a player: points held with an expiry, then committed (redeemed), released, or expired by
/// the system, once — the loyalty side of the stock reservations. Every mutation takes an
/// <c>Idempotency-Key</c> like any other; a resend replays the first answer.
/// </summary>
public static class PointsHoldsApi
{
    public static RouteGroupBuilder MapPointsHoldsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/players/{playerId}/loyalty/holds").WithTags("Loyalty");

        api.MapPost("", Hold).RequireAuthorization(Scopes.LoyaltyRedeem);
        api.MapGet("/{holdId}", Get).RequireAuthorization(Scopes.LoyaltyRead);
        api.MapPost("/{holdId}/commit", Commit).RequireAuthorization(Scopes.LoyaltyRedeem);
        api.MapPost("/{holdId}/release", Release).RequireAuthorization(Scopes.LoyaltyRedeem);

        return api;
    }

    public static Task<Results<Created<PointsHoldResponse>, Ok<PointsHoldResponse>, ProblemHttpResult>> Hold(
        string playerId, PointsHoldRequest request, HttpContext http, IClusterClient cluster, TimeProvider time)
    {
        // A new id for a new hold; a resend under the same key replays the first answer and its id.
        var command = new HoldPoints(Guid.CreateVersion7(), request.Points!.Value, HoldLimits.ExpiresAt(time, request.ExpiresInSeconds), request.Reference);
        return SendAsync(http, cluster, playerId, request, command, created: true);
    }

    public static async Task<Results<Ok<PointsHoldResponse>, ProblemHttpResult>> Get(
        string playerId, string holdId, HttpContext http, IClusterClient cluster)
    {
        if (Invalid(playerId, holdId, out var id) is { } invalid)
        {
            return invalid;
        }

        return await LoyaltyCommandSender.Player(http, cluster, playerId).GetHoldAsync(id) is { } hold
            ? TypedResults.Ok(PointsHoldResponse.From(hold, entry: null, state: null))
            : LoyaltyOutcomes.Rejection(new LoyaltyRejection(LoyaltyRejection.HoldNotFound));
    }

    public static async Task<Results<Created<PointsHoldResponse>, Ok<PointsHoldResponse>, ProblemHttpResult>> Commit(
        string playerId, string holdId, CommitPointsHoldRequest? request, HttpContext http, IClusterClient cluster) =>
        Invalid(playerId, holdId, out var id) is { } invalid
            ? invalid
            : await SendAsync(http, cluster, playerId, new { holdId = id, points = request?.Points },
                new CommitPointsHold(id, request?.Points), created: false);

    public static async Task<Results<Created<PointsHoldResponse>, Ok<PointsHoldResponse>, ProblemHttpResult>> Release(
        string playerId, string holdId, HttpContext http, IClusterClient cluster) =>
        Invalid(playerId, holdId, out var id) is { } invalid
            ? invalid
            : await SendAsync(http, cluster, playerId, new { holdId = id }, new ReleasePointsHold(id), created: false);

    private static async Task<Results<Created<PointsHoldResponse>, Ok<PointsHoldResponse>, ProblemHttpResult>> SendAsync<TBody>(
        HttpContext http, IClusterClient cluster, string playerId, TBody body, LoyaltyCommand command, bool created)
    {
        var (outcome, problem) = await LoyaltyCommandSender.ExecuteAsync(http, cluster, playerId, body, command);
        if (problem is not null)
        {
            return problem;
        }

        var reply = outcome!.Reply!;
        if (reply.Rejection is { } rejection)
        {
            return LoyaltyOutcomes.Rejection(rejection);
        }

        var response = PointsHoldResponse.From(reply.Hold!, reply.Entry, reply.State);
        return created
            ? TypedResults.Created($"/v1/players/{playerId}/loyalty/holds/{response.HoldId}", response)
            : TypedResults.Ok(response);
    }

    private static ProblemHttpResult? Invalid(string playerId, string holdId, out Guid id)
    {
        id = default;
        if (!TenantKey.IsValidIdentifier(playerId))
        {
            return LoyaltyCommandSender.InvalidPlayerId();
        }

        return Guid.TryParseExact(holdId, "D", out id) ? null : Problems.Validation("holdId", "holdId must be a UUID.");
    }
}
