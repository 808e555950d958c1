using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Ledger;
using FurnitureOps.Grains.Ledger.Commit;
using Microsoft.Extensions.Logging.Abstractions;

namespace FurnitureOps.Tests.Grains;

/// <summary>
/// The write path's queue bound, with a store whose commit is held open so commands pile up. The store here is
/// a stand-in on purpose: this is about queueing, which happens before any storage is touched.
/// </summary>
public sealed class WritePathQueueTests
{
    [Fact]
    public async Task CommandsBeyondTheQueueBoundAreRefusedAtOnceAndTheRestStillCommit()
    {
        var store = new HeldStore();
        var path = new LedgerWritePath<Counter, int, int>(new CountingRules(), store,
            new LedgerOptions { MaxQueueLength = 3, MaxBatchSize = 100 }, TimeProvider.System, () => { }, NullLogger.Instance);
        await path.LoadAsync(CancellationToken.None);

        var first = path.SubmitAsync(1, Context("k0"));            // starts a flush, which waits in the store
        var queued = Enumerable.Range(1, 3).Select(i => path.SubmitAsync(1, Context($"k{i}"))).ToList();
        var refused = path.SubmitAsync(1, Context("k4"));

        await Assert.ThrowsAsync<OverloadedException>(() => refused);
        store.Release();
        await Task.WhenAll(queued.Append(first));
        Assert.Equal(4, path.State.Value);
        Assert.Equal(2, store.Commits);
    }

    private static CommandContext Context(string key) => new(key, key, "tester", key);

    private sealed record Counter(long Value, long Version) : ILedgerState;

    private sealed class CountingRules : ILedgerRules<Counter, int, int>
    {
        public LedgerDecision<Counter, int> Decide(Counter state, int command, EffectContext context) =>
            new LedgerDecision<Counter, int>.Accept(new Counter(state.Value + command, context.NextVersion), command, "count", []);
    }

    private sealed class HeldStore : ILedgerStore<Counter, int, int>
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Commits { get; private set; }

        public string TenantId => "t";

        public string EntityType => "counter";

        public void Release() => _released.TrySetResult();

        public Task<Counter> LoadStateAsync(CancellationToken cancellationToken) => Task.FromResult(new Counter(0, 0));

        public Task<IReadOnlyList<IdempotencyRecord<int>>> LoadRecordsAsync(
            IReadOnlyCollection<string> keys, DateTimeOffset now, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<IdempotencyRecord<int>>>([]);

        public async Task<CommitResult> CommitAsync(LedgerCommit<Counter, int, int> commit)
        {
            await _released.Task;
            Commits++;
            return CommitResult.Committed;
        }
    }
}
