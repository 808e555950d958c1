using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Http;
using FurnitureOps.Api.Idempotency;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Loyalty;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.Loyalty;

/// <summary>Sends a loyalty command to its player's grain, for every loyalty endpoint that changes a balance.</summary>
public static class LoyaltyCommandSender
{
    /// <summary>
    /// The command's outcome on its grain; or the problem that stopped it before (an invalid player id or
    /// idempotency key) or after (the key reused for another request; a replay is marked on the response).
    /// </summary>
    public static async Task<(CommandOutcome<LoyaltyReply>? Outcome, ProblemHttpResult? Problem)> ExecuteAsync<TBody>(
        HttpContext http, IClusterClient cluster, string playerId, TBody body, LoyaltyCommand command)
    {
        if (!TenantKey.IsValidIdentifier(playerId))
        {
            return (null, InvalidPlayerId());
        }

        if (!CommandContexts.TryCreate(http, body, out var context, out var problem))
        {
            return (null, problem);
        }

        var outcome = await Player(http, cluster, playerId).ExecuteAsync(command, context);
        return (outcome, CommandContexts.KeyReusedOrMarkReplay(http, outcome));
    }

    /// <summary>The grain of the caller's tenant's player <paramref name="playerId"/>.</summary>
    public static IPlayerLoyaltyGrain Player(HttpContext http, IClusterClient cluster, string playerId) =>
        cluster.GetGrain<IPlayerLoyaltyGrain>(TenantKey.Format(http.User.Tenant(), playerId));

    public static ProblemHttpResult InvalidPlayerId() => Problems.Validation("playerId", "playerId must be 1-64 of [A-Za-z0-9._-].");
}
