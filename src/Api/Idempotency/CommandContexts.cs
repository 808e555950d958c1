using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Http;
using FurnitureOps.Grains.Interfaces.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.Idempotency;

/// <summary>The idempotency side of every mutation: reading the key, and answering key reuse and replays.</summary>
public static class CommandContexts
{
    /// <summary>
    /// Builds the grain command context from the request: its Idempotency-Key, the fingerprint of method,
    /// route and body, the acting principal and the request id. Fails with the 400 problem for a bad key.
    /// </summary>
    public static bool TryCreate<TBody>(HttpContext http, TBody body, out CommandContext context, out ProblemHttpResult? problem)
    {
        context = null!;
        if (!IdempotencyKeyHeader.TryRead(http.Request, out var key, out problem))
        {
            return false;
        }

        context = new CommandContext(key, RequestFingerprint.Compute(http, body), http.User.Actor(), http.TraceIdentifier);
        return true;
    }

    /// <summary>
    /// The problem for a reused key, or null; for a replay it also sets <c>Idempotent-Replayed: true</c>. Callers map
    /// the reply themselves when this returns null.
    /// </summary>
    public static ProblemHttpResult? KeyReusedOrMarkReplay<TReply>(HttpContext http, CommandOutcome<TReply> outcome)
    {
        if (outcome.Status == IdempotencyStatus.KeyReused || outcome.Reply is null)
        {
            return Problems.Create(StatusCodes.Status409Conflict, ProblemCodes.IdempotencyKeyReused,
                "This Idempotency-Key was used for a different request.",
                "Use a new key for a new request; resend the original body to get the original answer.");
        }

        if (outcome.Status == IdempotencyStatus.Replayed)
        {
            http.Response.Headers[IdempotencyKeyHeader.ReplayedHeaderName] = "true";
        }

        return null;
    }
}
