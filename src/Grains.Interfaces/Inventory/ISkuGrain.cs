using FurnitureOps.Grains.Interfaces.Ledger;

namespace FurnitureOps.Grains.Interfaces.Inventory;

/// <summary>
/// One SKU of one tenant (key from <see cref="TenantKey.Format"/>). The single activation serialises every
/// mutation through the ledger write path, so stock can never be oversold.
/// </summary>
[Alias("fo.ISkuGrain")]
public interface ISkuGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies a command exactly once per idempotency key. Answers after the command's transaction has
    /// committed; throws <see cref="StorageUnavailableException"/> if it did not (nothing applied, safe to resend).
    /// </summary>
    [Alias("ExecuteAsync")]
    Task<CommandOutcome<SkuReply>> ExecuteAsync(SkuCommand command, CommandContext context);

    /// <summary>The committed state, or null if the SKU has never been created.</summary>
    [Alias("GetAsync")]
    Task<SkuSnapshot?> GetAsync();

    /// <summary>Ledger rows with version greater than <paramref name="afterVersion"/>, oldest first.</summary>
    [Alias("GetLedgerAsync")]
    Task<IReadOnlyList<SkuLedgerEntry>> GetLedgerAsync(long afterVersion, int limit);

    /// <summary>Ledger rows with version less than <paramref name="beforeVersion"/> (every row when null), newest first.</summary>
    [Alias("GetLedgerNewestFirstAsync")]
    Task<IReadOnlyList<SkuLedgerEntry>> GetLedgerNewestFirstAsync(long? beforeVersion, int limit);

    /// <summary>One of this SKU's reservations, or null if it never held one with that id.</summary>
    [Alias("GetReservationAsync")]
    Task<ReservationView?> GetReservationAsync(Guid reservationId);

    /// <summary>
    /// Expires every held reservation whose time is up by this grain's clock, each once (an effect under a
    /// system key of its own), and answers how many it expired. The reservations' sweeper calls it.
    /// </summary>
    [Alias("ExpireDueAsync")]
    Task<int> ExpireDueAsync();
}
