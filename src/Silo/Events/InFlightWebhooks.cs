namespace FurnitureOps.Silo.Events;

/// <summary>
/// The webhook deliveries one dispatcher has started and not yet finished, counted per subscriber, so a round
/// claims only what it can start at once and a slow subscriber holds no more than its share of the slots.
/// </summary>
internal sealed class InFlightWebhooks
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _bySubscriber = new(StringComparer.Ordinal);
    private readonly HashSet<Task> _running = [];
    private TaskCompletionSource _ended = NewSignal();

    /// <summary>Slots free out of <paramref name="total"/>, and the deliveries in flight per subscriber.</summary>
    public (int Free, IReadOnlyDictionary<string, int> BySubscriber) Capacity(int total)
    {
        lock (_lock)
        {
            return (Math.Max(0, total - _running.Count), new Dictionary<string, int>(_bySubscriber, StringComparer.Ordinal));
        }
    }

    /// <summary>Counts <paramref name="delivery"/> against <paramref name="subscriber"/> until it ends.</summary>
    public void Start(string subscriber, Task delivery)
    {
        lock (_lock)
        {
            _bySubscriber[subscriber] = _bySubscriber.GetValueOrDefault(subscriber) + 1;
            _running.Add(delivery);
        }

        _ = EndAsync(subscriber, delivery);
    }

    /// <summary>
    /// Waits until at least <paramref name="free"/> of <paramref name="total"/> slots are free, or
    /// <paramref name="atMost"/> has passed: claims then come in batches rather than one per ended delivery.
    /// </summary>
    public async Task WaitForSlotsAsync(int total, int free, TimeSpan atMost, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(atMost);
        try
        {
            while (true)
            {
                Task ended;
                lock (_lock)
                {
                    if (total - _running.Count >= free)
                    {
                        return;
                    }

                    ended = _ended.Task;
                }

                await ended.WaitAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // waited long enough: the caller claims what it can
        }
    }

    /// <summary>Waits for every delivery in flight to end (they see the same stop signal), or for <paramref name="cancellationToken"/>.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        Task[] running;
        lock (_lock)
        {
            running = [.. _running];
        }

        await Task.WhenAll(running.Select(delivery => delivery.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(cancellationToken);
    }

    private async Task EndAsync(string subscriber, Task delivery)
    {
        await delivery.ContinueWith(_ => { }, TaskScheduler.Default); // its outcome is the dispatcher's to log
        TaskCompletionSource ended;
        lock (_lock)
        {
            if (--_bySubscriber[subscriber] == 0)
            {
                _bySubscriber.Remove(subscriber);
            }

            _running.Remove(delivery);
            ended = _ended;
            _ended = NewSignal();
        }

        ended.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
