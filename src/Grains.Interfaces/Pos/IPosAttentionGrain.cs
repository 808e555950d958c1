using Orleans.Concurrency;

namespace FurnitureOps.Grains.Interfaces.Pos;

/// <summary>A POS event waiting for an operator (its status is <see cref="PosEventStatus.NeedsAttention"/>).</summary>
[GenerateSerializer, Immutable, Alias("fo.pos-attention")]
public sealed record PosAttentionItem(Guid EventId, string Source, string Reason, DateTimeOffset RaisedAt, string RequestId);

/// <summary>Reads the POS events of a tenant that need an operator, oldest first (key: any; a stateless worker).</summary>
[Alias("fo.IPosAttentionGrain")]
public interface IPosAttentionGrain : IGrainWithIntegerKey
{
    /// <summary>At most <paramref name="limit"/> unresolved events, oldest first.</summary>
    [Alias("ListAsync")]
    Task<IReadOnlyList<PosAttentionItem>> ListAsync(string tenantId, int limit);
}
