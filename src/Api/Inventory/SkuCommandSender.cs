using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Http;
using FurnitureOps.Api.Idempotency;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.Inventory;

/// <summary>Sends a validated inventory mutation to its SKU grain under the caller's tenant and idempotency key.</summary>
public static class SkuCommandSender
{
    public static async Task<Results<Ok<InventoryItemResponse>, Created<InventoryItemResponse>, ProblemHttpResult>> SendAsync<TBody>(
        HttpContext http, IClusterClient cluster, string sku, TBody body, SkuCommand command)
    {
        var (outcome, problem) = await ExecuteAsync(http, cluster, sku, body, command);
        return problem ?? SkuOutcomes.ToHttp(http, outcome!, isCreate: command is CreateSku);
    }

    /// <summary>
    /// The command's outcome on its grain; or the problem that stopped it before (an invalid SKU code or
    /// idempotency key) or after (the key reused for another request; a replay is marked on the response).
    /// </summary>
    public static async Task<(CommandOutcome<SkuReply>? Outcome, ProblemHttpResult? Problem)> ExecuteAsync<TBody>(
        HttpContext http, IClusterClient cluster, string sku, TBody body, SkuCommand command)
    {
        if (!TenantKey.IsValidIdentifier(sku))
        {
            return (null, Problems.Validation("sku", "sku must be 1-64 of [A-Za-z0-9._-]."));
        }

        if (!CommandContexts.TryCreate(http, body, out var context, out var problem))
        {
            return (null, problem);
        }

        var outcome = await cluster.GetGrain<ISkuGrain>(TenantKey.Format(http.User.Tenant(), sku)).ExecuteAsync(command, context);
        return (outcome, CommandContexts.KeyReusedOrMarkReplay(http, outcome));
    }
}
