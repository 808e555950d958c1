using FurnitureOps.Grains.Interfaces.Ledger;

namespace FurnitureOps.Grains.Interfaces.Loyalty;

/// <summary>
/// One player's loyalty balance in one tenant (key from <see cref="TenantKey.Format"/>). Every change goes
/// through the ledger write path, so the balance never goes negative, the points held never exceed it, and
/// no update is lost.
/// </summary>
[Alias("fo.IPlayerLoyaltyGrain")]
public interface IPlayerLoyaltyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies a command exactly once per idempotency key (and per business key). Answers after commit; throws
    /// <see cref="StorageUnavailableException"/> if the commit did not happen (nothing applied, safe to resend).
    /// </summary>
    [Alias("ExecuteAsync")]
    Task<CommandOutcome<LoyaltyReply>> ExecuteAsync(LoyaltyCommand command, CommandContext context);

    /// <summary>The committed balance, or null if the player has never been touched.</summary>
    [Alias("GetAsync")]
    Task<PlayerLoyalty?> GetAsync();

    /// <summary>Ledger rows with version greater than <paramref name="afterVersion"/>, oldest first.</summary>
    [Alias("GetLedgerAsync")]
    Task<IReadOnlyList<LoyaltyEntry>> GetLedgerAsync(long afterVersion, int limit);

    /// <summary>Ledger rows with version less than <paramref name="beforeVersion"/> (every row when null), newest first.</summary>
    [Alias("GetLedgerNewestFirstAsync")]
    Task<IReadOnlyList<LoyaltyEntry>> GetLedgerNewestFirstAsync(long? beforeVersion, int limit);

    /// <summary>One of this player's points holds, or null if it never held one with that id.</summary>
    [Alias("GetHoldAsync")]
    Task<PointsHoldView?> GetHoldAsync(Guid holdId);

    /// <summary>
    /// Expires every held points hold whose time is up by this grain's clock, each once (an effect under a
    /// system key of its own), and answers how many it expired. The points holds' sweeper calls it.
    /// </summary>
    [Alias("ExpireDueHoldsAsync")]
    Task<int> ExpireDueHoldsAsync();
}
