using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Sagas;
using Orleans.Concurrency;

namespace FurnitureOps.Grains.Interfaces.Holds;

/// <summary>
/// One multi-line stock hold (a checkout; key from <see cref="TenantKey.Format"/> with the hold id). Each line
/// is a reservation of its SKU, made, committed, released or expired by the hold under a system key of its own,
/// so whatever crashes or retries in between, each line's effect happens once. A hold's every line is held, or
/// none is: a line that cannot be reserved releases the lines already reserved.
/// </summary>
/// <remarks>
/// Every step is durable before it runs (the hold's row says what it is doing), and an interrupted step is
/// finished by the sagas' sweeper, which also expires the hold on time.
/// </remarks>
[Alias("fo.IStockHoldGrain")]
public interface IStockHoldGrain : ISagaGrain
{
    /// <summary>Reserves every line, or none; idempotent per key.</summary>
    [Alias("PlaceAsync")]
    Task<CommandOutcome<StockHoldReply>> PlaceAsync(PlaceStockHold command, CommandContext context);

    /// <summary>Sells every line of a held hold.</summary>
    [Alias("CommitAsync")]
    Task<CommandOutcome<StockHoldReply>> CommitAsync(CommandContext context);

    /// <summary>Gives every line of a held hold back.</summary>
    [Alias("ReleaseAsync")]
    Task<CommandOutcome<StockHoldReply>> ReleaseAsync(CommandContext context);

    /// <summary>The hold as it stands (also while a step is under way), or null if it was never placed.</summary>
    [Alias("GetAsync"), AlwaysInterleave]
    Task<StockHoldView?> GetAsync();
}
