namespace FurnitureOps.Grains.Interfaces.RatingSlips;

/// <summary>
/// A completed rating slip whose points are not on the player's balance yet: its accrual is
/// <see cref="AccrualStatus.Pending"/> (the sagas' sweeper retries it at <see cref="NextAttemptAt"/>) or
/// <see cref="AccrualStatus.Stalled"/> (retries exhausted; an operator recovers it).
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.slip-attention")]
public sealed record RatingSlipAttentionItem(
    string SlipId,
    string PlayerId,
    string Game,
    long? Points,
    AccrualStatus Accrual,
    int AccrualAttempts,
    string? CorrelationId,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? NextAttemptAt);

/// <summary>Reads the rating slips of a tenant whose accrual waits, oldest first (key: any; a stateless worker).</summary>
[Alias("fo.IRatingSlipAttentionGrain")]
public interface IRatingSlipAttentionGrain : IGrainWithIntegerKey
{
    /// <summary>At most <paramref name="limit"/> slips whose accrual is pending or stalled, least recently changed first.</summary>
    [Alias("ListAsync")]
    Task<IReadOnlyList<RatingSlipAttentionItem>> ListAsync(string tenantId, int limit);
}
