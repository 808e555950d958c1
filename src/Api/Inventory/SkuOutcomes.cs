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
        if (outcome.Status == IdempotencyStatus.KeyReused || outcome.Reply is null)
        {
            return Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.IdempotencyKeyReused,
                "This Idempotency-Key was used for a different request.",
                "Use a new key for a new request; resend the original body to get the original answer.");
        }

        if (outcome.Status == IdempotencyStatus.Replayed)
        {
            context.Response.Headers[IdempotencyKeyHeader.ReplayedHeaderName] = "true";
        }

        if (outcome.Reply.Item is { } item)
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
