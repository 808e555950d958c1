using FurnitureOps.Grains;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Storage;
using FurnitureOps.Silo.Events;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FurnitureOps.Silo.Inventory;

/// <summary>
/// Expires held reservations whose time is up: each round finds the SKUs that have one (by the partial index
/// of migration 0013) and asks each SKU's grain to expire them. The grain decides by its own clock which are
/// due and writes each expiry as an effect, under a system key of its own, with its ledger row, audit row and
/// <c>inventory.reservation_expired.v1</c> event in one commit.
/// </summary>
/// <remarks>
/// Every silo runs one and they do not coordinate: two sweepers asking the same grain, or a sweeper asking
/// after a silo died mid-expiry, make the grain replay the expiry's key, which changes nothing. The row says
/// <c>held</c> until the expiry commits, so an expiry is never lost either.
/// </remarks>
public sealed partial class ReservationExpirySweeper(
    NpgsqlDataSource dataSource,
    IGrainFactory grains,
    GrainClock clock,
    IOptions<ReservationOptions> sweeper,
    IOptions<EventDeliveryOptions> options,
    ILogger<ReservationExpirySweeper> logger) : PollingWorker(options, logger)
{
    private const string DueSkusSql = """
        SELECT tenant_id, sku FROM inventory_reservations
        WHERE status = 'held' AND expires_at <= $1
        GROUP BY tenant_id, sku
        ORDER BY min(expires_at)
        LIMIT $2
        """;

    protected override bool Enabled => sweeper.Value.Enabled;

    protected override TimeSpan IdleWait => sweeper.Value.SweepInterval;

    /// <summary>One round: every SKU with a due reservation expires them; true when the round was a full batch.</summary>
    protected override async Task<bool> RoundAsync(CancellationToken cancellationToken)
    {
        var skus = await DueSkusAsync(cancellationToken);
        await Parallel.ForEachAsync(skus, new ParallelOptions
        {
            MaxDegreeOfParallelism = sweeper.Value.ExpireConcurrency,
            CancellationToken = cancellationToken,
        }, async (key, _) => await ExpireAsync(key));
        return skus.Count == sweeper.Value.BatchSize;
    }

    private async Task<List<string>> DueSkusAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.Command(DueSkusSql, clock.Time.GetUtcNow(), sweeper.Value.BatchSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(TenantKey.Format(reader.GetString(0), reader.GetString(1)));
        }

        return keys;
    }

    private async Task ExpireAsync(string key)
    {
        try
        {
            await grains.GetGrain<ISkuGrain>(key).ExpireDueAsync();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Still held in its row: the next round asks again.
            LogExpireFailed(Logger, error, key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expiring the due reservations of SKU {Key} failed; the next round tries again")]
    private static partial void LogExpireFailed(ILogger logger, Exception error, string key);
}
