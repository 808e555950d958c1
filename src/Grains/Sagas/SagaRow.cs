using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Ledger.Commit;
using FurnitureOps.Grains.Storage;
using FurnitureOps.Grains.Storage.Tables;
using Microsoft.Extensions.Logging;

namespace FurnitureOps.Grains.Sagas;

/// <summary>
/// One saga's row in its <see cref="SagaTable"/>: read when the grain activates, written through the silo's
/// <see cref="CommitPipeline"/>, so a saga's acceptance or outcome joins the same shared transactions as the
/// ledger writes, with its outbox events in the same commit. The grain changes <see cref="State"/> and then
/// saves it, as with Orleans' persistent state.
/// </summary>
/// <remarks>
/// A save that does not commit leaves memory ahead of the database. So, as in the ledger write path, the
/// activation retires and the caller gets the retryable <see cref="StorageUnavailableException"/>; the next
/// activation reads what was really committed. A version conflict (another activation wrote the row) is
/// handled the same way.
/// </remarks>
public sealed class SagaRow<TState>(
    PostgresStorage storage,
    CommitPipeline pipeline,
    SagaTable table,
    string tenantId,
    string id,
    ILogger logger)
    where TState : class, new()
{
    /// <summary>The committed version; 0 while the saga has no row.</summary>
    public long Version { get; private set; }

    public bool Exists => Version > 0;

    public TState State { get; set; } = new();

    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        var row = await ReadAsync(cancellationToken);
        if (row.Version > 0)
        {
            (Version, State) = (row.Version, LedgerJson.Deserialize<TState>(row.Saga));
        }
    }

    /// <summary>The committed state, or null if the saga has no row; this object's version and state are left as they are.</summary>
    public async Task<TState?> PeekAsync(CancellationToken cancellationToken)
    {
        var row = await ReadAsync(cancellationToken);
        return row.Version > 0 ? LedgerJson.Deserialize<TState>(row.Saga) : null;
    }

    private ValueTask<(long Version, string Saga)> ReadAsync(CancellationToken cancellationToken) =>
        storage.Reads.ExecuteAsync(async token =>
        {
            await using var command = storage.DataSource.Command(table.SelectSql, tenantId, id);
            await using var reader = await command.ExecuteReaderAsync(token);
            return await reader.ReadAsync(token) ? (reader.GetInt64(0), reader.GetString(1)) : default;
        }, cancellationToken);

    /// <summary>
    /// Commits <see cref="State"/> as <paramref name="status"/>, unfinished until <paramref name="nextAttemptAt"/>
    /// (null: finished, the sweeper leaves it alone), with <paramref name="events"/> in the same transaction.
    /// </summary>
    public async Task SaveAsync(IGrainBase grain, string status, DateTimeOffset? nextAttemptAt, DateTimeOffset now,
        IReadOnlyList<OutboxRow> events, string retryAdvice)
    {
        var result = await CommitAsync(grain, status, nextAttemptAt, now, events, retryAdvice);
        if (result.Status != CommitStatus.Committed)
        {
            throw Retire(grain, new InvalidOperationException(result.Detail ?? $"{table.Name} row {id}: {result.Status}."), retryAdvice);
        }

        Version++;
    }

    /// <summary>
    /// Commits <see cref="State"/> as the saga's first row, for a grain that has not read its row
    /// (<see cref="LoadAsync"/>) because it is almost certainly new. False if the row existed after all: nothing
    /// was written, <see cref="State"/> is not the saga's, and the grain reads the row. Finding it costs the
    /// shared transaction a rollback and a second try without this write, so only a grain whose rows are nearly
    /// always new skips the read.
    /// </summary>
    public async Task<bool> TryCreateAsync(IGrainBase grain, string status, DateTimeOffset? nextAttemptAt, DateTimeOffset now, string retryAdvice)
    {
        if (Exists)
        {
            throw new InvalidOperationException($"{table.Name} row {id} exists; save it instead.");
        }

        var result = await CommitAsync(grain, status, nextAttemptAt, now, [], retryAdvice);
        switch (result.Status)
        {
            case CommitStatus.Committed:
                Version++;
                return true;
            case CommitStatus.Conflict:
                State = new TState();
                return false;
            default:
                throw Retire(grain, new InvalidOperationException(result.Detail ?? $"{table.Name} row {id}: {result.Status}."), retryAdvice);
        }
    }

    private async Task<CommitResult> CommitAsync(IGrainBase grain, string status, DateTimeOffset? nextAttemptAt, DateTimeOffset now,
        IReadOnlyList<OutboxRow> events, string retryAdvice)
    {
        try
        {
            return await pipeline.CommitAsync(new EntityWrite(table.Tables, tenantId, id, Version, Version + 1,
                [status, LedgerJson.Serialize(State), nextAttemptAt, now], [], [], events, []));
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            throw Retire(grain, error, retryAdvice);
        }
    }

    private StorageUnavailableException Retire(IGrainBase grain, Exception error, string retryAdvice)
    {
        SagaLog.SaveFailed(logger, error, table.Name, tenantId, id);
        grain.DeactivateOnIdle();
        return new StorageUnavailableException(retryAdvice);
    }
}

internal static partial class SagaLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Saving {Table} row {TenantId}/{Id} failed; retiring the activation")]
    public static partial void SaveFailed(ILogger logger, Exception error, string table, string tenantId, string id);
}
