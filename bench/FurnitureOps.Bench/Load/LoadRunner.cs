using System.Collections.Concurrent;
using System.Diagnostics;
using FurnitureOps.Bench.Targets;

namespace FurnitureOps.Bench.Load;

/// <summary>
/// Sends a fixed list of requests with a fixed number of concurrent callers (each takes the next request as
/// soon as its previous one is answered), bounded in count and time, and shows progress once a second. A
/// request with a follow-up (<see cref="BenchRequest.Then"/>) is one operation of two requests: its latency
/// runs from the first request to the second's answer, its status is the second's (or the first's, if that
/// failed), and each counts once in the run's requests, answers and req/s.
/// </summary>
public static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(Target target, string label, string tenant, IReadOnlyList<BenchRequest> requests, int clients, TimeSpan bound)
    {
        var latencies = new double[requests.Count];
        var statuses = new int[requests.Count];
        var acknowledged = new ConcurrentDictionary<string, byte>();
        var next = -1;
        var completed = 0;
        using var deadline = new CancellationTokenSource(bound);
        var clock = Stopwatch.StartNew();

        using var progress = new Timer(_ => Console.Error.Write(
            $"\r  {label,-44} {Volatile.Read(ref completed),6}/{requests.Count}  {Volatile.Read(ref completed) / clock.Elapsed.TotalSeconds,8:F0} req/s   "),
            null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        var callers = Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            int index;
            while (!deadline.IsCancellationRequested && (index = Interlocked.Increment(ref next)) < requests.Count)
            {
                var started = Stopwatch.GetTimestamp();
                statuses[index] = await SendAsync(target, requests[index], tenant, client, acknowledged, deadline.Token);
                latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Interlocked.Increment(ref completed);
            }
        })).ToList();
        await Task.WhenAll(callers);
        clock.Stop();
        Console.Error.Write($"\r{new string(' ', 80)}\r");

        var answered = Enumerable.Range(0, requests.Count).Where(i => latencies[i] > 0).ToArray();
        var sorted = answered.Select(i => latencies[i]).Order().ToArray();
        var byStatus = answered.GroupBy(i => statuses[i]).ToDictionary(g => g.Key, g => g.Count());
        return new LoadResult(requests.Count, completed, clock.Elapsed, sorted, byStatus, acknowledged.Keys.ToHashSet(), deadline.IsCancellationRequested);
    }

    /// <summary>
    /// The request, then its follow-up on the reservation the answer named, as long as each succeeds; every
    /// request that succeeded has its key acknowledged (each is an effect of its own in the ledger).
    /// </summary>
    private static async Task<int> SendAsync(
        Target target, BenchRequest request, string tenant, int client, ConcurrentDictionary<string, byte> acknowledged, CancellationToken cancellationToken)
    {
        var step = request;
        while (true)
        {
            var answer = await target.SendAsync(step, tenant, client, cancellationToken);
            if (!answer.Succeeded)
            {
                return answer.Status;
            }

            acknowledged.TryAdd(step.IdempotencyKey, 0);
            if (step.Then is not { } next)
            {
                return answer.Status;
            }

            step = next with { ReservationId = answer.ReservationId };
        }
    }
}
