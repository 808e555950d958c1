using FurnitureOps.Grains;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Sagas;
using FurnitureOps.Grains.Storage;
using FurnitureOps.Silo.Events;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FurnitureOps.Silo.Sagas;

/// <summary>
/// Finishes sagas nobody else is finishing: in each round it leases the rows of every <see cref="SagaKinds"/>
/// table whose <c>next_attempt_at</c> has passed (a saga whose silo died, or whose last attempt failed and whose
/// backoff is over) and resumes each on its grain. The grain commits the outcome, or the failed attempt with its
/// next attempt time; a resume that never ends (this silo died) leaves the row due again when the lease does.
/// </summary>
/// <remarks>
/// Every silo runs one; <c>FOR UPDATE SKIP LOCKED</c> and the lease keep them off each other's rows. Resuming a
/// saga that is meanwhile running or finished is harmless: the grain runs one call at a time and a finished
/// saga does nothing.
/// </remarks>
public sealed partial class SagaSweeper(
    NpgsqlDataSource dataSource,
    IGrainFactory grains,
    GrainClock clock,
    IOptions<SagaOptions> sweeper,
    IOptions<EventDeliveryOptions> options,
    ILogger<SagaSweeper> logger) : PollingWorker(options, logger)
{
    protected override bool Enabled => sweeper.Value.Enabled;

    protected override TimeSpan IdleWait => sweeper.Value.SweepInterval;

    /// <summary>One round: claims and resumes the due sagas of every kind; true when a kind had a full batch.</summary>
    protected override async Task<bool> RoundAsync(CancellationToken cancellationToken)
    {
        var full = false;
        foreach (var kind in SagaKinds.All)
        {
            var due = await ClaimAsync(kind.Table, cancellationToken);
            full |= due.Count == sweeper.Value.BatchSize;
            await Parallel.ForEachAsync(due, new ParallelOptions
            {
                MaxDegreeOfParallelism = sweeper.Value.ResumeConcurrency,
                CancellationToken = cancellationToken,
            }, async (key, _) => await ResumeAsync(kind, key));
        }

        return full;
    }

    private async Task<List<string>> ClaimAsync(SagaTable table, CancellationToken cancellationToken)
    {
        var now = clock.Time.GetUtcNow();
        await using var command = dataSource.Command(table.ClaimDueSql, now, now + sweeper.Value.Lease, sweeper.Value.BatchSize);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(TenantKey.Format(reader.GetString(0), reader.GetString(1)));
        }

        return keys;
    }

    private async Task ResumeAsync(SagaKind kind, string key)
    {
        try
        {
            await kind.Grain(grains, key).ResumeAsync();
            LogResumed(Logger, kind.Table.Name, key);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The row stays leased until the lease ends, then it is due again.
            LogResumeFailed(Logger, error, kind.Table.Name, key);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed the saga of {Table} row {Key}")]
    private static partial void LogResumed(ILogger logger, string table, string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resuming the saga of {Table} row {Key} failed; it is due again when its lease ends")]
    private static partial void LogResumeFailed(ILogger logger, Exception error, string table, string key);
}
