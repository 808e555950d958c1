using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Http;
using FurnitureOps.Api.Idempotency;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Inventory;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.Inventory;

/// <summary>Sends a validated inventory mutation to its SKU grain under the caller's tenant and idempotency key.</summary>
public static class SkuCommandSender
{
    public static async Task<Results<Ok<InventoryItemResponse>, Created<InventoryItemResponse>, ProblemHttpResult>> SendAsync<TBody>(
        HttpContext http, IClusterClient cluster, string sku, TBody body, SkuCommand command)
    {
        if (!TenantKey.IsValidIdentifier(sku))
        {
            return Problems.Validation("sku", "sku must be 1-64 of [A-Za-z0-9._-].");
        }

        if (!CommandContexts.TryCreate(http, body, out var context, out var problem))
        {
            return problem!;
        }

        var grain = cluster.GetGrain<ISkuGrain>(TenantKey.Format(http.User.Tenant(), sku));
        var outcome = await grain.ExecuteAsync(command, context);
        return SkuOutcomes.ToHttp(http, outcome, isCreate: command is CreateSku);
    }
}
