using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Sagas;
using Orleans.Concurrency;

namespace FurnitureOps.Grains.Interfaces.Pos;

/// <summary>
/// One POS event (key from <see cref="TenantKey.Format"/> with the event id) and the saga that applies it to
/// stock and loyalty. The event id is derived from tenant, source and idempotency key, so every delivery of
/// the same event reaches this one activation.
/// </summary>
[Alias("fo.IPosEventGrain")]
public interface IPosEventGrain : ISagaGrain
{
    /// <summary>
    /// Accepts the event once and runs its saga as far as it can. The first delivery answers
    /// <see cref="IdempotencyStatus.Fresh"/>; a later one with the same body <see cref="IdempotencyStatus.Replayed"/>
    /// (nothing done again); with another body <see cref="IdempotencyStatus.KeyReused"/>. Throws
    /// <see cref="OverloadedException"/> before accepting when intake is past its bounds, and
    /// <see cref="StorageUnavailableException"/> when the event could not be stored (nothing accepted).
    /// </summary>
    [Alias("SubmitAsync")]
    Task<CommandOutcome<PosEventView>> SubmitAsync(PosEventSubmission submission, CommandContext context);

    /// <summary>
    /// The event with its saga, or null if it was never accepted. Interleaves with a running saga, so a status
    /// read never waits behind a slow step; it sees the steps as far as they got.
    /// </summary>
    [Alias("GetAsync"), AlwaysInterleave]
    Task<PosEventView?> GetAsync();

    /// <summary>
    /// An operator's resolution of an event in <see cref="PosEventStatus.NeedsAttention"/>: the event becomes
    /// <see cref="PosEventStatus.Resolved"/>, with an audit row and a <c>pos.event_resolved.v1</c> event.
    /// The same key and note again replay it; another key on a resolved event, or an event that does not need
    /// attention, gets <see cref="PosResolveReply.Resolved"/> false and nothing is written. Null reply with
    /// <see cref="IdempotencyStatus.Fresh"/>: no such event; with <see cref="IdempotencyStatus.KeyReused"/>:
    /// the key resolved it with another note.
    /// </summary>
    [Alias("ResolveAsync")]
    Task<CommandOutcome<PosResolveReply>> ResolveAsync(string note, CommandContext context);
}
