using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using FurnitureOps.Tests.Infrastructure;
using Xunit.Abstractions;

namespace FurnitureOps.Tests.Cluster;

/// <summary>
/// A steady mix of sales, receipts and loyalty accruals from several terminals (one principal each), every
/// request retried like a real client would: a 503 or a broken connection is resent with the same
/// Idempotency-Key, a bounded number of times. Records the last status each key got, for
/// <see cref="ClusterInvariants"/> to hold against the ledger.
/// </summary>
public sealed class MixedLoad : IAsyncDisposable
{
    public const int Skus = 4;
    public const int Players = 4;
    public const int InitialStock = 100;
    private const int MaxRequests = 20_000;
    private const int MaxAttempts = 40;

    private readonly ConcurrentDictionary<string, Outcome> _outcomes = new();
    private readonly CancellationTokenSource _stop;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ITestOutputHelper _output;
    private readonly List<Task> _workers;
    private int _started;
    private int _finished;
    private int _retries;

    private MixedLoad(Func<int, HttpClient> terminal, int workers, TimeSpan bound, ITestOutputHelper output)
    {
        _output = output;
        _stop = new CancellationTokenSource(bound);
        _workers = Enumerable.Range(0, workers).Select(worker => Task.Run(() => RunTerminalAsync(terminal(worker), worker))).ToList();
    }

    public sealed record Outcome(string Kind, HttpStatusCode Status);

    /// <summary>Creates the SKUs (each with <see cref="InitialStock"/>), then starts the terminals.</summary>
    /// <param name="api">The fixture that issues the terminals' tokens.</param>
    /// <param name="intake">The API instance the terminals call.</param>
    /// <param name="tenant">The tenant all terminals work for; each terminal is a principal of its own.</param>
    /// <param name="workers">How many terminals send at once, each one request at a time.</param>
    /// <param name="bound">The whole run's time bound: terminals stop sending when it passes.</param>
    /// <param name="output">Where the run's timeline is written.</param>
    public static async Task<MixedLoad> StartAsync(ApiFixture api, ApiFactory intake, string tenant, int workers, TimeSpan bound, ITestOutputHelper output)
    {
        HttpClient Terminal(int n)
        {
            var client = intake.CreateClient();
            client.Timeout = TimeSpan.FromSeconds(30);
            client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token(tenant, [], subject: $"terminal-{n}"));
            return client;
        }

        var setup = Terminal(-1);
        for (var sku = 0; sku < Skus; sku++)
        {
            var created = await SendWithRetriesAsync(setup, "/v1/inventory", new { sku = Sku(sku), name = "Oak chair", onHand = InitialStock }, $"create-{sku}");
            Assert.Equal(HttpStatusCode.Created, created);
        }

        return new MixedLoad(Terminal, workers, bound, output);
    }

    public static string Sku(int n) => $"S{n}";

    public static string Player(int n) => $"P{n}";

    /// <summary>Attempts that got a 503 or no answer and were resent: evidence that a fault reached the clients.</summary>
    public int Retries => Volatile.Read(ref _retries);

    /// <summary>Whether the run's time bound passed before <see cref="StopAsync"/>.</summary>
    public bool HitTimeBound { get; private set; }

    /// <summary>Writes a step of the run to the timeline, with the time and the number of answered requests.</summary>
    public void Mark(string step) =>
        _output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {Volatile.Read(ref _finished),5} answered  {Retries,4} retried  {step}");

    /// <summary>Waits until <paramref name="count"/> more requests have got their final answer: the proof that the service is serving.</summary>
    public async Task FinishMoreAsync(int count)
    {
        var target = Volatile.Read(ref _finished) + count;
        await Poll.UntilAsync(() => Task.FromResult(Volatile.Read(ref _finished) >= target || _stop.IsCancellationRequested),
            $"{count} more requests were answered", TimeSpan.FromMinutes(5));
        Assert.False(_stop.IsCancellationRequested, $"The load hit its time bound waiting for {count} more answers");
        Mark($"{count} more answered");
    }

    /// <summary>Stops the terminals (each finishes its request in hand, retries included) and returns every key's last status.</summary>
    public async Task<IReadOnlyDictionary<string, Outcome>> StopAsync()
    {
        HitTimeBound = _stop.IsCancellationRequested;
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:F1} s  {_finished,5} answered  stopped; statuses " +
            string.Join(", ", _outcomes.Values.GroupBy(o => o.Status).OrderBy(g => g.Key).Select(g => $"{(int)g.Key}×{g.Count()}")));
        return _outcomes;
    }

    /// <summary>Stops the terminals if a failed test left them running.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers).ContinueWith(_ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task RunTerminalAsync(HttpClient client, int worker)
    {
        while (!_stop.IsCancellationRequested && Interlocked.Increment(ref _started) <= MaxRequests)
        {
            var n = Random.Shared.Next();
            var key = $"w{worker}-{Guid.NewGuid():N}";
            var (kind, path, body) = (n % 3) switch
            {
                0 => ("sell", $"/v1/inventory/{Sku(n % Skus)}/sales", (object)new { quantity = 1 }),
                1 => ("receive", $"/v1/inventory/{Sku(n % Skus)}/receipts", new { quantity = 1 }),
                _ => ("accrue", $"/v1/players/{Player(n % Players)}/loyalty/accruals", new { points = 5, sourceType = "test", sourceId = key }),
            };
            _outcomes[key] = new Outcome(kind, await SendWithRetriesAsync(client, path, body, key, () => Interlocked.Increment(ref _retries)));
            Interlocked.Increment(ref _finished);
        }
    }

    private static async Task<HttpStatusCode> SendWithRetriesAsync(HttpClient client, string path, object body, string key, Action? retrying = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var response = await client.PostJsonAsync(path, body, key);
                if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == MaxAttempts)
                {
                    return response.StatusCode;
                }
            }
            catch (Exception error) when (error is HttpRequestException or TaskCanceledException && attempt < MaxAttempts)
            {
                // The request's fate is unknown (it may have been applied): resend it with the same key.
            }

            retrying?.Invoke();
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)));
        }
    }
}
