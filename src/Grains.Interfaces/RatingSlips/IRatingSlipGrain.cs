using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Sagas;

namespace FurnitureOps.Grains.Interfaces.RatingSlips;

/// <summary>
/// One rating slip (key from <see cref="TenantKey.Format"/>) and the saga that turns its completion into a
/// loyalty accrual: the slip closes durably first, then accrues with the slip id as business key, retried by
/// the sagas' sweeper until the accrual exists exactly once.
/// </summary>
[Alias("fo.IRatingSlipGrain")]
public interface IRatingSlipGrain : ISagaGrain
{
    /// <summary>Opens the slip; idempotent per key.</summary>
    [Alias("OpenAsync")]
    Task<CommandOutcome<SlipReply>> OpenAsync(OpenSlip command, CommandContext context);

    /// <summary>
    /// Closes the slip and accrues its points. The reply's slip says whether the accrual was made
    /// (<see cref="AccrualStatus.Accrued"/>) or is pending. Completing a completed slip answers its current result.
    /// </summary>
    [Alias("CompleteAsync")]
    Task<CommandOutcome<SlipReply>> CompleteAsync(int minutesPlayed, CommandContext context);

    /// <summary>Retries a pending or stalled accrual now; safe to call any number of times.</summary>
    [Alias("RecoverLoyaltyAsync")]
    Task<CommandOutcome<SlipReply>> RecoverLoyaltyAsync(CommandContext context);

    /// <summary>The slip, or null if it was never opened.</summary>
    [Alias("GetAsync")]
    Task<RatingSlipView?> GetAsync();
}
