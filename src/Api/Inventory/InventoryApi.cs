using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Http;
using FurnitureOps.Grains.Interfaces.Inventory;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.Inventory;

public static class InventoryApi
{
    public static RouteGroupBuilder MapInventoryApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/inventory").WithTags("Inventory");

        api.MapPost("", Create).RequireAuthorization(Scopes.InventoryAdmin);
        api.MapGet("/{sku}", Get).RequireAuthorization(Scopes.InventoryRead);
        api.MapPatch("/{sku}", Adjust).RequireAuthorization(Scopes.InventoryAdmin);
        api.MapPost("/{sku}/receipts", Receive).RequireAuthorization(Scopes.InventoryWrite);
        api.MapPost("/{sku}/sales", Sell).RequireAuthorization(Scopes.InventoryWrite);
        api.MapPost("/{sku}/returns", Return).RequireAuthorization(Scopes.InventoryWrite);
        api.MapGet("/{sku}/ledger", GetLedger).RequireAuthorization(Scopes.InventoryRead);

        return api;
    }

    public static Task<Results<Ok<InventoryItemResponse>, Created<InventoryItemResponse>, ProblemHttpResult>> Create(
        CreateSkuRequest request, HttpContext http, IClusterClient cluster) =>
        SkuCommandSender.SendAsync(http, cluster, request.Sku!, request, new CreateSku(request.Name!, request.OnHand!.Value));

    public static Task<Results<Ok<InventoryItemResponse>, Created<InventoryItemResponse>, ProblemHttpResult>> Receive(
        string sku, ReceiptRequest request, HttpContext http, IClusterClient cluster) =>
        SkuCommandSender.SendAsync(http, cluster, sku, request, new ReceiveStock(request.Quantity!.Value, request.Reference));

    public static Task<Results<Ok<InventoryItemResponse>, Created<InventoryItemResponse>, ProblemHttpResult>> Sell(
        string sku, SaleRequest request, HttpContext http, IClusterClient cluster) =>
        SkuCommandSender.SendAsync(http, cluster, sku, request, new SellStock(request.Quantity!.Value, request.OrderRef));

    public static Task<Results<Ok<InventoryItemResponse>, Created<InventoryItemResponse>, ProblemHttpResult>> Return(
        string sku, ReturnRequest request, HttpContext http, IClusterClient cluster) =>
        SkuCommandSender.SendAsync(http, cluster, sku, request, new ReturnStock(request.Quantity!.Value, request.OrderRef));

    public static Task<Results<Ok<InventoryItemResponse>, Created<InventoryItemResponse>, ProblemHttpResult>> Adjust(
        string sku, AdjustRequest request, HttpContext http, IClusterClient cluster) =>
        SkuCommandSender.SendAsync(http, cluster, sku, request, new AdjustStock(request.OnHand!.Value, request.Reason!, request.Holds == "release"));

    public static async Task<Results<Ok<InventoryItemResponse>, ProblemHttpResult>> Get(
        string sku, HttpContext http, IClusterClient cluster)
    {
        if (!TenantKey.IsValidIdentifier(sku))
        {
            return Problems.Validation("sku", "sku must be 1-64 of [A-Za-z0-9._-].");
        }

        var item = await cluster.GetGrain<ISkuGrain>(TenantKey.Format(http.User.Tenant(), sku)).GetAsync();
        return item is null
            ? SkuOutcomes.Rejection(new SkuRejection(SkuRejection.SkuNotFound))
            : TypedResults.Ok(InventoryItemResponse.From(item));
    }

    /// <summary>The SKU's ledger, oldest first after <c>afterVersion</c>, or with <c>order=desc</c> newest first before <c>beforeVersion</c>.</summary>
    public static async Task<Results<Ok<LedgerPage>, ProblemHttpResult>> GetLedger(
        string sku, long? afterVersion, long? beforeVersion, string? order, int? limit, HttpContext http, IClusterClient cluster)
    {
        var errors = new Dictionary<string, string[]>();
        if (!TenantKey.IsValidIdentifier(sku))
        {
            errors["sku"] = ["sku must be 1-64 of [A-Za-z0-9._-]."];
        }

        var paging = LedgerPaging.Read(errors, order, afterVersion, beforeVersion, limit);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var grain = cluster.GetGrain<ISkuGrain>(TenantKey.Format(http.User.Tenant(), sku));
        if (await grain.GetAsync() is null)
        {
            return SkuOutcomes.Rejection(new SkuRejection(SkuRejection.SkuNotFound));
        }

        var entries = paging.NewestFirst
            ? await grain.GetLedgerNewestFirstAsync(paging.Cursor, paging.Limit)
            : await grain.GetLedgerAsync(paging.Cursor ?? 0, paging.Limit);
        var (nextAfter, nextBefore) = paging.Next(entries, entry => entry.Version);
        return TypedResults.Ok(new LedgerPage(sku, entries.Select(LedgerEntryResponse.From).ToList(), nextAfter, nextBefore));
    }
}
