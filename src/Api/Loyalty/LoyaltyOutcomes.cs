using FurnitureOps.Api.Http;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Loyalty;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.Loyalty;

/// <summary>The one mapping from a loyalty command's outcome to HTTP; deterministic in the stored reply.</summary>
public static class LoyaltyOutcomes
{
    /// <summary>The answer to a command whose key was not reused (<see cref="LoyaltyCommandSender.ExecuteAsync"/>).</summary>
    public static Results<Ok<LoyaltyEntryResult>, ProblemHttpResult> ToHttp(CommandOutcome<LoyaltyReply> outcome)
    {
        var reply = outcome.Reply!;
        if (reply is { Entry: { } entry, State: { } state })
        {
            return TypedResults.Ok(new LoyaltyEntryResult(
                LoyaltyEntryResponse.From(entry), LoyaltyStateResponse.From(state), reply.Deduplicated));
        }

        return Rejection(reply.Rejection!);
    }

    public static ProblemHttpResult Rejection(LoyaltyRejection rejection) => rejection.Code switch
    {
        LoyaltyRejection.PlayerNotFound => Problems.Create(StatusCodes.Status404NotFound, rejection.Code, "No loyalty record for this player."),
        LoyaltyRejection.InsufficientPoints => Problems.Create(StatusCodes.Status409Conflict, rejection.Code,
            "Not enough points.", $"Only {rejection.Available} available (balance less held).",
            new Dictionary<string, object?> { ["available"] = rejection.Available }),
        LoyaltyRejection.HoldNotFound => Problems.Create(StatusCodes.Status404NotFound, rejection.Code, "No such points hold of this player."),
        LoyaltyRejection.HoldNotHeld => Problems.Create(StatusCodes.Status409Conflict, rejection.Code,
            "The points hold is no longer held.", $"It was {rejection.HoldStatus}.",
            new Dictionary<string, object?> { ["holdStatus"] = rejection.HoldStatus }),
        LoyaltyRejection.CommitExceedsHold => Problems.Create(StatusCodes.Status409Conflict, rejection.Code,
            "The commit exceeds the points hold.", $"The hold holds {rejection.Available}.",
            new Dictionary<string, object?> { ["held"] = rejection.Available }),
        LoyaltyRejection.SourceReused => Problems.Create(StatusCodes.Status409Conflict, rejection.Code,
            "This source was already accrued with other points.",
            $"The source's accrual was {rejection.Available} points; an accrual is credited once per sourceType and sourceId.",
            new Dictionary<string, object?> { ["points"] = rejection.Available }),
        _ => throw new InvalidOperationException($"Unmapped loyalty rejection '{rejection.Code}'."),
    };
}
