using FurnitureOps.Api.Http;
using FurnitureOps.Api.Idempotency;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.Inventory;

/// <summary>
/// The one mapping from a SKU command's outcome to HTTP. Deterministic in the stored reply, so a replay
/// answers the same status and body as the first call.
/// </summary>
public static class SkuOutcomes
{
    public static Results<Ok<InventoryItemResponse>, Created<InventoryItemResponse>, ProblemHttpResult> ToHttp(
        HttpContext context, CommandOutcome<SkuReply> outcome, bool isCreate)
    {
        if (CommandContexts.KeyReusedOrMarkReplay(context, outcome) is { } keyReused)
        {
            return keyReused;
        }

        if (outcome.Reply!.Item is { } item)
        {
            var body = InventoryItemResponse.From(item);
            return isCreate ? TypedResults.Created($"/v1/inventory/{item.Sku}", body) : TypedResults.Ok(body);
        }

        return Rejection(outcome.Reply.Rejection!);
    }

    public static ProblemHttpResult Rejection(SkuRejection rejection) => rejection.Code switch
    {
        SkuRejection.SkuNotFound => Problems.Create(StatusCodes.Status404NotFound, rejection.Code, "No such SKU."),
        SkuRejection.SkuExists => Problems.Create(StatusCodes.Status409Conflict, rejection.Code, "The SKU already exists."),
        SkuRejection.InsufficientStock => Problems.Create(StatusCodes.Status409Conflict, rejection.Code,
            "Not enough stock.", $"Only {rejection.Available} on hand.",
            new Dictionary<string, object?> { ["available"] = rejection.Available }),
        SkuRejection.ReturnExceedsSold => Problems.Create(StatusCodes.Status409Conflict, rejection.Code,
            "The return exceeds what was sold.", $"Only {rejection.Available} sold.",
            new Dictionary<string, object?> { ["available"] = rejection.Available }),
        _ => throw new InvalidOperationException($"Unmapped SKU rejection '{rejection.Code}'."),
    };
}
