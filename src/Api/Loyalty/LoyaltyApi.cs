using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Http;
using FurnitureOps.Api.RateLimiting;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Loyalty;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FurnitureOps.Api.Loyalty;

public static class LoyaltyApi
{
    public static RouteGroupBuilder MapLoyaltyApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/players/{playerId}/loyalty").WithTags("Loyalty");

        api.MapGet("", Get).RequireAuthorization(Scopes.LoyaltyRead);
        api.MapPost("/accruals", Accrue).RequireAuthorization(Scopes.LoyaltyAccrue);
        api.MapPost("/rewards", Reward).RequireAuthorization(Scopes.LoyaltyAward).RequireRateLimiting(RateLimitingExtensions.ManualRewards);
        api.MapPost("/redemptions", Redeem).RequireAuthorization(Scopes.LoyaltyRedeem);
        api.MapGet("/ledger", GetLedger).RequireAuthorization(Scopes.LoyaltyRead);

        return api;
    }

    public static Task<Results<Ok<LoyaltyEntryResult>, ProblemHttpResult>> Accrue(
        string playerId, AccrualRequest request, HttpContext http, IClusterClient cluster) =>
        SendAsync(http, cluster, playerId, request, new AccruePoints(request.Points!.Value, request.SourceType!, request.SourceId!));

    public static Task<Results<Ok<LoyaltyEntryResult>, ProblemHttpResult>> Reward(
        string playerId, RewardRequest request, HttpContext http, IClusterClient cluster, IOptions<LoyaltyApiOptions> options)
    {
        var limit = options.Value.MaxManualReward;
        if (request.Points > limit)
        {
            return Task.FromResult<Results<Ok<LoyaltyEntryResult>, ProblemHttpResult>>(Problems.Create(
                StatusCodes.Status400BadRequest, ProblemCodes.RewardExceedsLimit, "The reward is larger than allowed.",
                $"Manual rewards are limited to {limit} points.", new Dictionary<string, object?> { ["limit"] = limit }));
        }

        return SendAsync(http, cluster, playerId, request, new AwardPoints(request.Points!.Value, request.Reason!));
    }

    public static Task<Results<Ok<LoyaltyEntryResult>, ProblemHttpResult>> Redeem(
        string playerId, RedemptionRequest request, HttpContext http, IClusterClient cluster) =>
        SendAsync(http, cluster, playerId, request, new RedeemPoints(request.Points!.Value, request.Reference!));

    public static async Task<Results<Ok<LoyaltyStateResponse>, ProblemHttpResult>> Get(string playerId, HttpContext http, IClusterClient cluster)
    {
        if (!TenantKey.IsValidIdentifier(playerId))
        {
            return InvalidPlayerId();
        }

        var state = await Player(http, cluster, playerId).GetAsync();
        return state is null
            ? LoyaltyOutcomes.Rejection(new LoyaltyRejection(LoyaltyRejection.PlayerNotFound))
            : TypedResults.Ok(LoyaltyStateResponse.From(state));
    }

    /// <summary>The player's ledger, oldest first after <c>afterVersion</c>, or with <c>order=desc</c> newest first before <c>beforeVersion</c>.</summary>
    public static async Task<Results<Ok<LoyaltyLedgerPage>, ProblemHttpResult>> GetLedger(
        string playerId, long? afterVersion, long? beforeVersion, string? order, int? limit, HttpContext http, IClusterClient cluster)
    {
        var errors = new Dictionary<string, string[]>();
        if (!TenantKey.IsValidIdentifier(playerId))
        {
            errors["playerId"] = ["playerId must be 1-64 of [A-Za-z0-9._-]."];
        }

        var paging = LedgerPaging.Read(errors, order, afterVersion, beforeVersion, limit);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var player = Player(http, cluster, playerId);
        if (await player.GetAsync() is null)
        {
            return LoyaltyOutcomes.Rejection(new LoyaltyRejection(LoyaltyRejection.PlayerNotFound));
        }

        var entries = paging.NewestFirst
            ? await player.GetLedgerNewestFirstAsync(paging.Cursor, paging.Limit)
            : await player.GetLedgerAsync(paging.Cursor ?? 0, paging.Limit);
        var (nextAfter, nextBefore) = paging.Next(entries, entry => entry.Version);
        return TypedResults.Ok(new LoyaltyLedgerPage(playerId, entries.Select(LoyaltyEntryResponse.From).ToList(), nextAfter, nextBefore));
    }

    private static async Task<Results<Ok<LoyaltyEntryResult>, ProblemHttpResult>> SendAsync<TBody>(
        HttpContext http, IClusterClient cluster, string playerId, TBody body, LoyaltyCommand command)
    {
        var (outcome, problem) = await LoyaltyCommandSender.ExecuteAsync(http, cluster, playerId, body, command);
        return problem ?? LoyaltyOutcomes.ToHttp(outcome!);
    }

    private static IPlayerLoyaltyGrain Player(HttpContext http, IClusterClient cluster, string playerId) =>
        LoyaltyCommandSender.Player(http, cluster, playerId);

    private static ProblemHttpResult InvalidPlayerId() => LoyaltyCommandSender.InvalidPlayerId();
}
