using FurnitureOps.Grains.Interfaces.Ledger;

namespace FurnitureOps.Grains.Ledger;

/// <summary>
/// The expiry of an entity's due holds (a SKU's reservations, a player's points holds): each hold's expiry is
/// an effect under a system key of its own that never expires, <c>system:{kind}/{id}/expire</c>, so whichever
/// sweeper, silo or retry sends it again, it replays and changes nothing.
/// </summary>
internal static class HoldExpiry
{
    /// <summary>Submits the expiry of each of <paramref name="due"/> and answers how many this call applied.</summary>
    /// <param name="ledger">The entity's write path.</param>
    /// <param name="kind">The hold's kind in its system key and request id, e.g. <c>reservation</c>.</param>
    /// <param name="actor">Who the ledger and audit name: the system, not a client.</param>
    /// <param name="due">The ids of the holds whose time is up.</param>
    /// <param name="expire">The entity's expiry command for one hold.</param>
    /// <param name="applied">Whether a reply says the expiry was applied (not refused).</param>
    public static async Task<int> ExpireAsync<TState, TCommand, TReply>(
        LedgerWritePath<TState, TCommand, TReply> ledger, string kind, string actor, IReadOnlyCollection<Guid> due,
        Func<Guid, TCommand> expire, Func<TReply, bool> applied)
        where TState : ILedgerState
    {
        if (due.Count == 0)
        {
            return 0;
        }

        var requestId = $"{kind}-expiry-{Guid.NewGuid():N}";
        var outcomes = await Task.WhenAll(due.Select(id => ledger.SubmitAsync(expire(id), Context(kind, id, actor, requestId))));
        return outcomes.Count(outcome => outcome is { Status: IdempotencyStatus.Fresh, Reply: { } reply } && applied(reply));
    }

    /// <summary>The expiry of one hold: its system key, and a fingerprint that is the same whoever sends it.</summary>
    public static CommandContext Context(string kind, Guid id, string actor, string requestId) =>
        new(SystemKeys.For(kind, id.ToString(), "expire"), $"expire:{id}", actor, requestId);
}
