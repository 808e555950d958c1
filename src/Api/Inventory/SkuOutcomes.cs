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
    /// <summary>The answer to a command whose key was not reused (<see cref="SkuCommandSender.ExecuteAsync"/>).</summary>
    public static Results<Ok<InventoryItemResponse>, Created<InventoryItemResponse>, ProblemHttpResult> ToHttp(
        HttpContext context, CommandOutcome<SkuReply> outcome, bool isCreate)
    {
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
            "Not enough stock.", $"Only {rejection.Available} available (on hand less reserved).",
            new Dictionary<string, object?> { ["available"] = rejection.Available }),
        SkuRejection.ReservationNotFound => Problems.Create(StatusCodes.Status404NotFound, rejection.Code, "No such reservation of this SKU."),
        SkuRejection.ReservationExists => Problems.Create(StatusCodes.Status409Conflict, rejection.Code, "The reservation already exists."),
        SkuRejection.ReservationNotHeld => Problems.Create(StatusCodes.Status409Conflict, rejection.Code,
            "The reservation is no longer held.", $"It was {rejection.ReservationStatus}.",
            new Dictionary<string, object?> { ["reservationStatus"] = rejection.ReservationStatus }),
        SkuRejection.CommitExceedsReservation => Problems.Create(StatusCodes.Status409Conflict, rejection.Code,
            "The commit exceeds the reservation.", $"The reservation holds {rejection.Available}.",
            new Dictionary<string, object?> { ["held"] = rejection.Available }),
        SkuRejection.ReservationsExceedStock => Problems.Create(StatusCodes.Status409Conflict, rejection.Code,
            "The count is below what is reserved.",
            $"{rejection.Available} are reserved. Send \"holds\": \"release\" to release every held reservation with the adjustment.",
            new Dictionary<string, object?> { ["reserved"] = rejection.Available }),
        SkuRejection.ReturnExceedsSold => Problems.Create(StatusCodes.Status409Conflict, rejection.Code,
            "The return exceeds what was sold.", $"Only {rejection.Available} sold.",
            new Dictionary<string, object?> { ["available"] = rejection.Available }),
        _ => throw new InvalidOperationException($"Unmapped SKU rejection '{rejection.Code}'."),
    };
}
