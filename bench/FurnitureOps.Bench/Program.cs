using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using FurnitureOps.Bench.Baseline;
using FurnitureOps.Bench.Load;
using FurnitureOps.Bench.Reporting;
using FurnitureOps.Bench.Scenarios;
using FurnitureOps.Bench.Targets;
using Npgsql;

namespace FurnitureOps.Bench;

/// <summary>
/// <c>./bench.sh [scenario…] [--scale X] [--pgbench-seconds N] [--out DIR]</c>: starts a throwaway PostgreSQL
/// with production durability, measures pgbench's ceiling on it, starts FurnitureOps (silo and API
/// processes) and the row-lock baseline, and runs each scenario against both (docs/benchmarks.md).
/// </summary>
public static class Program
{
    private static readonly Scenario[] All =
        [new SeedLoadScenario(), new PosSeedScenario(), new HotSkuScenario(), new SpreadScenario(), new ReplayScenario(), new LoyaltyMixedScenario(), new CheckoutScenario()];

    // many-keys runs on the grains alone and measures other things, so it is not a Scenario; it is selected like one.
    private static readonly string[] Names = [.. All.Select(s => s.Name), ManyKeysScenario.Name];

    /// <summary>Each scenario's warm-up, as a share of its requests at scale 1.</summary>
    private const double WarmUpScale = 0.25;

    /// <summary>
    /// The longest warm-up, and the JIT's share of a pass's time, per process, below which warm-up is over. A
    /// bound in time, not in passes: one scenario's pass takes 1-3 s, every scenario's 10-20 s, and the JIT needs
    /// about the same minute or two of load either way.
    /// </summary>
    private static readonly TimeSpan WarmUpLimit = TimeSpan.FromMinutes(3);

    private const double QuietJitShare = 0.02;

    /// <summary>Rounds each scenario's measured requests are split into, every target taking a turn in each.</summary>
    private const int Rounds = 3;

    public static async Task<int> Main(string[] args)
    {
        var options = BenchOptions.Parse(args, Names);
        if (options is null)
        {
            Console.Error.WriteLine($"usage: ./bench.sh [{string.Join('|', Names)}…] [--scale X] [--pgbench-seconds N] [--out DIR]");
            return 2;
        }

        try
        {
            return await RunAsync(options);
        }
        catch (Exception error)
        {
            // Returning (rather than crashing) lets the processes and the PostgreSQL server be stopped on the way out.
            Console.Error.WriteLine($"The benchmark failed: {error}");
            return 1;
        }
    }

    private static async Task<int> RunAsync(BenchOptions options)
    {
        var scenarios = All.Where(s => options.Scenarios.Count == 0 || options.Scenarios.Contains(s.Name)).ToList();
        Console.Error.WriteLine("Starting PostgreSQL (fsync and synchronous commit on, pg_stat_statements)...");
        var (_, connections) = await TestDatabase.CreateWithServerAsync(durable: true,
        [
            "shared_preload_libraries=pg_stat_statements",

            // The baseline's design needs a connection per concurrent request (up to 75) and should not be starved
            // by PostgreSQL's default of 100 next to FurnitureOps' open pools (16) and the bench's own; FurnitureOps'
            // own use is measured, in the table's conns column, not limited by this.
            "max_connections=200",
        ]);
        var server = new NpgsqlConnectionStringBuilder(connections.Admin) { Database = "postgres" }.ConnectionString;
        await using var admin = NpgsqlDataSource.Create(server);
        var statements = await Statements.EnableAsync(admin);
        var sampler = new ConnectionSampler(admin);

        Ceilings? ceilings = null;
        if (options.PgBenchSeconds > 0)
        {
            Console.Error.WriteLine($"pgbench simple-update, 1 and 16 clients, {options.PgBenchSeconds} s each...");
            await PgBench.InitializeAsync(server);
            var duration = TimeSpan.FromSeconds(options.PgBenchSeconds);
            ceilings = new Ceilings(await PgBench.TpsAsync(server, 1, duration), await PgBench.TpsAsync(server, 16, duration));
        }

        Console.Error.WriteLine("Starting FurnitureOps (silo and API processes) and the row-lock baseline...");
        var clients = All.Max(s => s.Clients);
        await using var service = await FurnitureOpsService.StartAsync(connections.App);
        await using var database = NpgsqlDataSource.Create(connections.Admin);
        await using var baseline = await RowLockBaseline.StartAsync(server);
        using var furnitureOps = new FurnitureOpsTarget(service, database, new NpgsqlConnectionStringBuilder(connections.Admin).Database!, statements, clients);
        using var rowLock = new BaselineTarget(baseline, statements, clients);
        using var grains = await GrainTarget.ConnectAsync(service, connections.App, database, new NpgsqlConnectionStringBuilder(connections.Admin).Database!, statements);
        Target[] targets = [furnitureOps, grains, rowLock];
        var cpu = await CpuClock.StartAsync(service.SiloProcessId, service.ApiProcessId, admin);

        Console.Error.WriteLine("Warming up (JIT, connection pools, grain activations)...");
        await WarmUpAsync(scenarios.Count > 0 ? scenarios : [new SpreadScenario()], targets, service, sampler, options.Bound);

        var rows = new List<ScenarioRow>();
        foreach (var scenario in scenarios)
        {
            Console.Error.WriteLine($"{scenario.Name}: {scenario.Description}");
            rows.AddRange(await MeasureAsync(scenario, targets, sampler, cpu, options));
        }

        ManyKeysResult? manyKeys = null;
        if (options.Scenarios.Count == 0 || options.Scenarios.Contains(ManyKeysScenario.Name))
        {
            // Last: its million records stay in idempotency_records, where they would weigh on the scenarios above.
            Console.Error.WriteLine($"{ManyKeysScenario.Name}: {ManyKeysScenario.Description}");
            manyKeys = await ManyKeysScenario.RunAsync(grains, database, options.Bound);
        }

        var checks = Goals.Check(rows, ceilings, manyKeys);
        Console.WriteLine();
        Console.WriteLine(Report.Table(rows, ceilings, checks, manyKeys));
        var machine = await MachineAsync(admin);
        var top = await statements.TopAsync(15);
        Console.WriteLine("Statements with the most execution time on the server (all databases, whole run):");
        foreach (var statement in top)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {statement.TotalMilliseconds,9:F0} ms {statement.Calls,8} calls {statement.MeanMilliseconds,7:F3} ms  [{statement.Database}] {statement.Query[..Math.Min(110, statement.Query.Length)]}"));
        }

        var path = await Report.WriteJsonAsync(options.OutputDirectory, machine, rows, ceilings, checks, top, manyKeys);
        Console.WriteLine($"Written to {path}");
        return rows.All(r => r.Correct) ? 0 : 1;
    }

    /// <summary>
    /// Every scenario's code paths on every target, in passes, until a pass finds the JIT nearly idle. Tiered
    /// compilation re-compiles hot methods in stages (instrumented, then optimised), each after more calls, on a
    /// background thread that competes with the load for two cores: after a single pass, perf still found the
    /// JIT at about a quarter of the silo's and the API's CPU during the measured runs, and their throughput
    /// climbed for the whole run. Passes repeat until the JIT's time in a pass is under
    /// <see cref="QuietJitShare"/> of the pass in each process (silo, API, and this one, which hosts the
    /// baseline's server), for at most <see cref="WarmUpLimit"/>. Each measured run then also waits for the CPU
    /// to go quiet (Scenario.RunAsync).
    /// </summary>
    private static async Task WarmUpAsync(
        IReadOnlyList<Scenario> scenarios, Target[] targets, FurnitureOpsService service, ConnectionSampler sampler, TimeSpan bound)
    {
        var before = await JitSecondsAsync(service);
        var warmingUp = Stopwatch.StartNew();
        for (var pass = 1; warmingUp.Elapsed < WarmUpLimit; pass++)
        {
            var clock = Stopwatch.StartNew();
            foreach (var scenario in scenarios)
            {
                foreach (var target in targets.Where(scenario.RunsOn))
                {
                    await scenario.RunAsync(target, sampler, cpu: null, scale: WarmUpScale, bound);
                }
            }

            var after = await JitSecondsAsync(service);
            var seconds = clock.Elapsed.TotalSeconds;
            var (silo, api, bench) = ((after.Silo - before.Silo) / seconds, (after.Api - before.Api) / seconds, (after.Bench - before.Bench) / seconds);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  warm-up pass {pass} ({seconds:F0} s): JIT {silo:P1} of the time in the silo, {api:P1} in the API, {bench:P1} in the bench"));
            if (Math.Max(silo, Math.Max(api, bench)) < QuietJitShare)
            {
                return;
            }

            before = after;
        }

        Console.Error.WriteLine($"  (the JIT was still busy after {WarmUpLimit.TotalMinutes:F0} minutes of warm-up; measuring anyway)");
    }

    /// <summary>
    /// One scenario on every target, in <see cref="Rounds"/> rounds: each round sends every target its share of
    /// the requests, the targets' order rotating from round to round, and each target's rounds are added up into
    /// its row. The shared machine's speed drifts and jumps by tens of percent within a minute; measured one
    /// target after the other, a slow spell fell on one target and moved the ratio by as much, while
    /// interleaved every target gets its share of it.
    /// </summary>
    private static async Task<IReadOnlyList<ScenarioRow>> MeasureAsync(
        Scenario scenario, Target[] allTargets, ConnectionSampler sampler, CpuClock? cpu, BenchOptions options)
    {
        var targets = allTargets.Where(scenario.RunsOn).ToArray();
        var rounds = targets.ToDictionary(target => target, _ => new List<ScenarioRow>());
        for (var round = 0; round < Rounds; round++)
        {
            for (var i = 0; i < targets.Length; i++)
            {
                var target = targets[(round + i) % targets.Length];
                rounds[target].Add(await scenario.RunAsync(target, sampler, cpu, options.Scale / Rounds, options.Bound));
            }
        }

        return [.. targets.Select(target => ScenarioRow.Combined(rounds[target]))];
    }

    private static async Task<(double Silo, double Api, double Bench)> JitSecondsAsync(FurnitureOpsService service)
    {
        var (silo, api) = await service.JitSecondsAsync();
        return (silo, api, System.Runtime.JitInfo.GetCompilationTime().TotalSeconds);
    }

    private static async Task<object> MachineAsync(NpgsqlDataSource admin) => new
    {
        cores = Environment.ProcessorCount,
        memoryGiB = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024), 1),
        os = RuntimeInformation.OSDescription,
        dotnet = RuntimeInformation.FrameworkDescription,
        postgres = (string)(await admin.CreateCommand("SHOW server_version").ExecuteScalarAsync())!,
        commit = Environment.GetEnvironmentVariable("FURNITUREOPS_COMMIT") ?? "unknown",
        startedAt = Process.GetCurrentProcess().StartTime.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
    };
}
