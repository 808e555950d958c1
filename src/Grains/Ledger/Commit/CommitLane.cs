using System.Diagnostics;
using System.Threading.Channels;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace FurnitureOps.Grains.Ledger.Commit;

/// <summary>
/// One lane of the commit pipeline: one connection, one transaction at a time. While a transaction is in
/// flight, the writes that arrive queue; the next transaction takes all of them. An idle lane starts a
/// transaction as soon as a write arrives, so there is no timer to wait for at low load.
/// </summary>
internal sealed partial class CommitLane : IAsyncDisposable
{
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresStorage _storage;
    private readonly CommitOptions _options;
    private readonly ILogger _logger;
    private readonly Task _loop;
    private NpgsqlConnection? _connection;
    private int _queued;

    public CommitLane(int index, NpgsqlDataSource dataSource, PostgresStorage storage, CommitOptions options, ILogger logger)
    {
        Index = index;
        _dataSource = dataSource;
        _storage = storage;
        _options = options;
        _logger = logger;

        // The loop must not inherit the context of whichever grain call first resolved the pipeline (its
        // Activity above all): every transaction starts its own span.
        using (ExecutionContext.SuppressFlow())
        {
            _loop = Task.Run(RunAsync);
        }
    }

    public int Index { get; }

    /// <summary>Writes waiting for a transaction of this lane.</summary>
    public int Queued => Volatile.Read(ref _queued);

    public Task<CommitResult> CommitAsync(EntityWrite write)
    {
        var pending = new PendingWrite(write);
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(pending))
        {
            Interlocked.Decrement(ref _queued);
            return Task.FromException<CommitResult>(new StorageUnavailableException("The silo is shutting down; retry the request."));
        }

        return pending.Result.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private async Task RunAsync()
    {
        // Writes that passed their checks in a transaction that was rolled back for another grain's sake, and
        // second writes of an entity already in the transaction being built: they go first into the next one.
        var carried = new List<PendingWrite>();
        while (carried.Count > 0 || await _queue.Reader.WaitToReadAsync())
        {
            var transaction = Take(carried);
            await CommitAsync(transaction, carried);
        }
    }

    private List<PendingWrite> Take(List<PendingWrite> carried)
    {
        var taken = new List<PendingWrite>();
        var entities = new HashSet<(string, string, string)>();
        var rows = 0;
        var deferred = new List<PendingWrite>();

        bool Fits(PendingWrite pending) =>
            taken.Count == 0 || (taken.Count < _options.MaxWritesPerTransaction && rows + pending.Write.RowCount <= _options.MaxRowsPerTransaction);

        void Add(PendingWrite pending)
        {
            var write = pending.Write;
            if (!entities.Add((write.Tables.EntityType, write.TenantId, write.EntityId)))
            {
                deferred.Add(pending); // one write per entity per transaction: its flushes stay in order
                return;
            }

            taken.Add(pending);
            rows += write.RowCount;
        }

        var fromCarried = 0;
        while (fromCarried < carried.Count && Fits(carried[fromCarried]))
        {
            Add(carried[fromCarried++]);
        }

        carried.RemoveRange(0, fromCarried);
        while (carried.Count == 0 && _queue.Reader.TryPeek(out var next) && Fits(next) && _queue.Reader.TryRead(out next))
        {
            Interlocked.Decrement(ref _queued);
            Add(next);
        }

        carried.InsertRange(0, deferred);
        return taken;
    }

    private async Task CommitAsync(List<PendingWrite> transaction, List<PendingWrite> carried)
    {
        if (transaction.Count == 0)
        {
            return;
        }

        // The transaction's span continues the trace of the write that opened it and links every other one, so
        // each request's trace leads to the SQL that committed it.
        using var span = CommitMetrics.Source.StartActivity(
            "ledger.commit", ActivityKind.Internal, transaction[0].Caller,
            links: transaction.Skip(1).Where(pending => pending.Caller != default).Select(pending => new ActivityLink(pending.Caller)));
        span?.SetTag("ledger.commit.lane", Index);
        span?.SetTag("ledger.commit.grains", transaction.Count);
        var started = Stopwatch.GetTimestamp();
        CommitResult?[] results;
        try
        {
            var writes = transaction.Select(pending => pending.Write).ToList();
            results = await _storage.Guarded.ExecuteAsync(
                async token => await SharedTransaction.RunAsync(await ConnectionAsync(token), writes, token), CancellationToken.None);
        }
        catch (Exception error)
        {
            // The connection's state is unknown after a failure: the next transaction opens a fresh one.
            await DropConnectionAsync();
            CommitMetrics.TransactionFailed(transaction.Count);
            span?.SetStatus(ActivityStatusCode.Error, error.Message);
            LogTransactionFailed(_logger, error, Index, transaction.Count);
            foreach (var pending in transaction)
            {
                pending.Result.TrySetException(error);
            }

            return;
        }

        var retried = results.Count(result => result is null);
        CommitMetrics.Transaction(transaction.Count, committed: retried == 0, Stopwatch.GetElapsedTime(started));
        for (var i = 0; i < transaction.Count; i++)
        {
            if (results[i] is { } result)
            {
                transaction[i].Result.TrySetResult(result);
            }
        }

        if (retried > 0)
        {
            LogRetryingWithout(_logger, Index, transaction.Count - retried, retried);
            carried.InsertRange(0, transaction.Where((_, i) => results[i] is null));
        }
    }

    private async Task<NpgsqlConnection> ConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { State: System.Data.ConnectionState.Open })
        {
            return _connection;
        }

        await DropConnectionAsync();
        _connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return _connection;
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    /// <summary>A write waiting for its transaction, and the grain waiting for its result.</summary>
    private sealed class PendingWrite(EntityWrite write)
    {
        public EntityWrite Write { get; } = write;

        /// <summary>The trace of the grain call that handed the write over.</summary>
        public ActivityContext Caller { get; } = Activity.Current?.Context ?? default;

        // The grain's continuation must not run on this lane's loop.
        public TaskCompletionSource<CommitResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Commit lane {Lane}: a transaction of {Writes} grain writes failed; each grain is told to retry")]
    private static partial void LogTransactionFailed(ILogger logger, Exception error, int lane, int writes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Commit lane {Lane}: {Refused} grain writes found another writer's rows; committing the other {Writes} without them")]
    private static partial void LogRetryingWithout(ILogger logger, int lane, int writes, int refused);
}
