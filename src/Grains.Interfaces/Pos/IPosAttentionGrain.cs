using Orleans.Concurrency;

namespace FurnitureOps.Grains.Interfaces.Pos;

/// <summary>A POS event waiting for an operator (its status is <see cref="PosEventStatus.NeedsAttention"/>).</summary>
[GenerateSerializer, Immutable, Alias("fo.pos-attention")]
public sealed record PosAttentionItem(Guid EventId, string Source, string Reason, DateTimeOffset RaisedAt, string RequestId);

/// <summary>
/// A POS event whose saga has steps left (<see cref="PosEventStatus.Pending"/> or <see cref="PosEventStatus.Compensating"/>):
/// <see cref="Attempts"/> failed so far, the last with <see cref="LastError"/>; the sagas' sweeper tries again at
/// <see cref="NextAttemptAt"/> (null only for a saga no sweeper will resume).
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.pos-pending")]
public sealed record PosPendingItem(
    Guid EventId,
    string Source,
    PosEventStatus Status,
    int Attempts,
    string? LastError,
    string RequestId,
    DateTimeOffset AcceptedAt,
    DateTimeOffset? NextAttemptAt);

/// <summary>Reads the operators' lists of a tenant's POS events, oldest first (key: any; a stateless worker).</summary>
[Alias("fo.IPosAttentionGrain")]
public interface IPosAttentionGrain : IGrainWithIntegerKey
{
    /// <summary>At most <paramref name="limit"/> unresolved events, oldest first.</summary>
    [Alias("ListAsync")]
    Task<IReadOnlyList<PosAttentionItem>> ListAsync(string tenantId, int limit);

    /// <summary>At most <paramref name="limit"/> events whose saga has steps left, oldest accepted first.</summary>
    [Alias("ListPendingAsync")]
    Task<IReadOnlyList<PosPendingItem>> ListPendingAsync(string tenantId, int limit);
}
