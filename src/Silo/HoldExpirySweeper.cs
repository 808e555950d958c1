using FurnitureOps.Grains;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Storage;
using FurnitureOps.Silo.Events;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FurnitureOps.Silo;

/// <summary>
/// Expires held holds whose time is up, for one kind of hold (a SKU's reservations, a player's points holds):
/// each round finds the owners that have one (by the kind's partial index on <c>expires_at</c> where held) and
/// asks each owner's grain to expire them. The grain decides by its own clock which are due and writes each
/// expiry as an effect, under a system key of its own, with its ledger row, audit row and event in one commit.
/// </summary>
/// <remarks>
/// Every silo runs one per kind and they do not coordinate: two sweepers asking the same grain, or a sweeper
/// asking after a silo died mid-expiry, make the grain replay the expiry's key, which changes nothing. The row
/// says <c>held</c> until the expiry commits, so an expiry is never lost either.
/// </remarks>
/// <param name="table">The kind's table of holds, with <c>tenant_id</c>, <c>status</c> and <c>expires_at</c>.</param>
/// <param name="ownerColumn">The owning grain's key within the tenant, e.g. <c>sku</c>.</param>
/// <param name="dataSource">Where the holds are found.</param>
/// <param name="clock">The grains' clock, so "due" means what it means to the grains.</param>
/// <param name="sweeper">The kind's sweeper settings.</param>
/// <param name="options">The polling loop's settings (backoff after a database failure).</param>
/// <param name="logger">The concrete sweeper's logger.</param>
public abstract partial class HoldExpirySweeper<TOptions>(
    string table,
    string ownerColumn,
    NpgsqlDataSource dataSource,
    GrainClock clock,
    IOptions<TOptions> sweeper,
    IOptions<EventDeliveryOptions> options,
    ILogger logger) : PollingWorker(options, logger)
    where TOptions : HoldSweeperOptions
{
    private readonly string _dueOwnersSql = $"""
        SELECT tenant_id, {ownerColumn} FROM {table}
        WHERE status = 'held' AND expires_at <= $1
        GROUP BY tenant_id, {ownerColumn}
        ORDER BY min(expires_at)
        LIMIT $2
        """;

    protected override bool Enabled => sweeper.Value.Enabled;

    protected override TimeSpan IdleWait => sweeper.Value.SweepInterval;

    /// <summary>Asks the owner's grain (its <see cref="TenantKey"/>) to expire its due holds.</summary>
    protected abstract Task ExpireDueAsync(string ownerKey);

    /// <summary>One round: every owner with a due hold expires them; true when the round was a full batch.</summary>
    protected override async Task<bool> RoundAsync(CancellationToken cancellationToken)
    {
        var owners = await DueOwnersAsync(cancellationToken);
        await Parallel.ForEachAsync(owners, new ParallelOptions
        {
            MaxDegreeOfParallelism = sweeper.Value.ExpireConcurrency,
            CancellationToken = cancellationToken,
        }, async (key, _) => await ExpireAsync(key));
        return owners.Count == sweeper.Value.BatchSize;
    }

    private async Task<List<string>> DueOwnersAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.Command(_dueOwnersSql, clock.Time.GetUtcNow(), sweeper.Value.BatchSize);
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
            await ExpireDueAsync(key);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Still held in its row: the next round asks again.
            LogExpireFailed(Logger, error, table, key);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Expiring the due holds in {Table} of {Key} failed; the next round tries again")]
    private static partial void LogExpireFailed(ILogger logger, Exception error, string table, string key);
}
