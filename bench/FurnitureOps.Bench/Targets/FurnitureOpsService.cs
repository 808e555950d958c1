using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace FurnitureOps.Bench.Targets;

/// <summary>
/// FurnitureOps as it runs in production: a silo process and an API process from the Release build, in
/// Production mode, on loopback ports, against the bench's PostgreSQL as the application role.
/// </summary>
public sealed partial class FurnitureOpsService : IAsyncDisposable
{
    private readonly HostProcess _silo;
    private readonly HostProcess _api;
    private readonly HttpClient _operations;
    private readonly HttpClient _apiMetrics;

    private FurnitureOpsService(HostProcess silo, HostProcess api, Uri siloOperations, Uri apiAddress, string signingKey, string clusterId)
    {
        ClusterId = clusterId;
        _silo = silo;
        _api = api;
        _operations = new HttpClient { BaseAddress = siloOperations };
        _apiMetrics = new HttpClient { BaseAddress = apiAddress };
        ApiAddress = apiAddress;
        SigningKey = signingKey;
    }

    /// <summary>Connections of the silo process: one pool per purpose (<c>furnitureops/commit</c>, <c>/grains</c>, …).</summary>
    public const string SiloConnections = "silo";

    /// <summary>Connections of the API process: its Orleans client's membership reads (<c>furnitureops/api</c>).</summary>
    public const string ApiConnections = "api";

    public Uri ApiAddress { get; }

    /// <summary>The silo's process id, whose CPU time the bench reads (<see cref="CpuClock"/>).</summary>
    public int SiloProcessId => _silo.Id;

    /// <summary>The API's process id.</summary>
    public int ApiProcessId => _api.Id;

    public string ClusterId { get; }

    public string SigningKey { get; }

    public static async Task<FurnitureOpsService> StartAsync(string appConnectionString)
    {
        var signingKey = Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());
        var siloOperations = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var apiAddress = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var clusterId = $"bench-{Guid.NewGuid():N}";
        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = appConnectionString,
            ["Orleans__ClusterId"] = clusterId,
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        var silo = HostProcess.Start("Silo", "FurnitureOps.Silo", new Dictionary<string, string>(common)
        {
            ["Orleans__SiloPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
            ["ASPNETCORE_URLS"] = siloOperations.ToString(),
        });
        var api = HostProcess.Start("Api", "FurnitureOps.Api", new Dictionary<string, string>(common)
        {
            ["ASPNETCORE_URLS"] = apiAddress.ToString(),
            ["Auth__SigningKey"] = signingKey,

            // The bench's callers would pass one principal's production budget (600/min) in a second; the
            // cluster-wide limiter still runs, a grain call per request, as in production.
            ["RateLimits__Authenticated__PermitLimit"] = "1000000",

            // Likewise one staff member's manual-reward budget (50/min): loyalty-mixed grants rewards at hundreds
            // a second, and refusals (429, cheap) would pass for throughput.
            ["Loyalty__ManualRewardsPerMinute"] = "100000",
        });
        var service = new FurnitureOpsService(silo, api, siloOperations, apiAddress, signingKey, clusterId);
        await service.WaitUntilReadyAsync();
        return service;
    }

    /// <summary>
    /// Whose connection this is, by the <c>application_name</c> the service gives every pool
    /// (<c>&lt;Application Name or "furnitureops"&gt;/&lt;purpose&gt;</c>, PostgresConnections and
    /// OrleansClientExtensions): the API's is <c>furnitureops/api</c>, every other <c>furnitureops/…</c> is the silo's.
    /// The bench sets no Application Name, so the prefix is the default.
    /// </summary>
    public static string? ConnectionHolder(string applicationName) => applicationName switch
    {
        "furnitureops/api" => ApiConnections,
        _ when applicationName.StartsWith("furnitureops/", StringComparison.Ordinal) => SiloConnections,
        _ => null,
    };

    /// <summary>The write path's flush histograms so far: commands per flush and seconds per flush's transaction.</summary>
    public async Task<FlushTotals> FlushTotalsAsync()
    {
        var exposition = await _operations.GetStringAsync("/metrics");
        double Sum(string metric, string part) => HistogramSample().Matches(exposition)
            .Where(sample => sample.Groups["name"].Value.StartsWith(metric, StringComparison.Ordinal) && sample.Groups["part"].Value == part)
            .Sum(sample => double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture));
        return new FlushTotals(Sum("ledger_flush_batch_size", "count"), Sum("ledger_flush_batch_size", "sum"), Sum("ledger_flush_duration", "sum"));
    }

    /// <summary>The API's round trips to rate-limit grains so far (<c>rate_limit_grain_calls_total</c>, every policy).</summary>
    public async Task<long> RateLimitGrainCallsAsync() =>
        (long)RateLimitGrainCallSample().Matches(await _apiMetrics.GetStringAsync("/metrics"))
            .Sum(sample => double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture));

    /// <summary>Seconds the JIT has spent compiling so far in the silo and in the API (the runtime's meter on each /metrics).</summary>
    public async Task<(double Silo, double Api)> JitSecondsAsync()
    {
        static double Seconds(string exposition) =>
            JitSample().Matches(exposition).Sum(sample => double.Parse(sample.Groups["value"].Value, CultureInfo.InvariantCulture));
        return (Seconds(await _operations.GetStringAsync("/metrics")), Seconds(await _apiMetrics.GetStringAsync("/metrics")));
    }

    public async ValueTask DisposeAsync()
    {
        ReportIfExited("silo", _silo);
        ReportIfExited("API", _api);
        _operations.Dispose();
        _apiMetrics.Dispose();
        _api.Terminate();
        _silo.Terminate();
        await _api.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await _silo.WaitForExitAsync(TimeSpan.FromSeconds(30));
        await _api.DisposeAsync();
        await _silo.DisposeAsync();
    }

    // A host that died during the run is why the run failed: its last lines say how.
    private static void ReportIfExited(string name, HostProcess host)
    {
        if (host.HasExited)
        {
            Console.Error.WriteLine($"The {name} process exited during the run (exit code {host.ExitCode}); its last lines:");
            foreach (var line in host.LastLines(40))
            {
                Console.Error.WriteLine($"  {line}");
            }
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var api = new HttpClient { BaseAddress = ApiAddress };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                if ((await api.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"FurnitureOps did not become ready.\nsilo:\n{_silo.Output}\napi:\n{_api.Output}");
            }

            await Task.Delay(250);
        }
    }

    [GeneratedRegex(@"^(?<name>ledger_flush_\w*?)_(?<part>sum|count)(\{[^}]*\})?\s+(?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex HistogramSample();

    [GeneratedRegex(@"^dotnet_jit_compilation_time_seconds_total(\{[^}]*\})?\s+(?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex JitSample();

    [GeneratedRegex(@"^rate_limit_grain_calls_total(\{[^}]*\})?\s+(?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex RateLimitGrainCallSample();
}
