using System.Globalization;
using FurnitureOps.Bench.Scenarios;
using FurnitureOps.Bench.Targets;
using FurnitureOps.Grains.Storage;

namespace FurnitureOps.Bench.Reporting;

/// <summary>The benchmark's goals (docs/benchmarks.md), checked against the rows of one run.</summary>
public static class Goals
{
    public const string Http = "FurnitureOps";
    public const string Grains = "FurnitureOps grains";
    public const string Baseline = "row-lock baseline";

    /// <summary>
    /// The silo's PostgreSQL connections by default (2 commit lanes + 5 grains + 3 workers + 4 Orleans), which
    /// the bench's silo runs with: its peak must not exceed it, whatever the load.
    /// </summary>
    /// <remarks>Read from the silo's own type (the bench reaches FurnitureOps.Grains through FurnitureOps.Testing and the silo), so it cannot drift.</remarks>
    public static int SiloConnectionBudget { get; } = new ConnectionBudget().Total;

    /// <remarks>
    /// Comparisons with the baseline use FurnitureOps over HTTP (both pay HTTP); comparisons with pgbench,
    /// which has no HTTP in it, use the grain-level run. Where two issues set different targets for the same
    /// figure (an older, stricter one and issue 13's), both are checked.
    /// </remarks>
    public static IReadOnlyList<TargetCheck> Check(IReadOnlyList<ScenarioRow> rows, Ceilings? ceilings, ManyKeysResult? manyKeys = null)
    {
        ScenarioRow? Row(string scenario, string target) => rows.FirstOrDefault(r => r.Scenario == scenario && r.Target == target);
        ScenarioRow? Direct(string scenario) => Row(scenario, Grains) ?? Row(scenario, Http);
        var checks = new List<TargetCheck>();

        // Throughput over HTTP against the baseline's in the same run.
        void VersusBaseline(string scenario, double goal, Func<ScenarioRow, string>? detail = null)
        {
            if (Row(scenario, Http) is { } http && Row(scenario, Baseline) is { } baseline)
            {
                var ratio = http.Load.Throughput / baseline.Load.Throughput;
                var measured = detail is null ? Times(ratio) : $"{Times(ratio)} ({detail(http)})";
                checks.Add(new(scenario, $"≥ {Goal(goal)} the row-lock baseline (HTTP)", measured, ratio >= goal));
            }
        }

        // Throughput of a grain-level row against pgbench's, which has no HTTP in it either.
        void VersusPgBench(ScenarioRow? row, double goal, bool sixteenClients)
        {
            if (row is not null && ceilings is not null)
            {
                var ceiling = sixteenClients ? ceilings.SixteenClients : ceilings.OneClient;
                var ratio = row.Load.Throughput / ceiling;
                checks.Add(new(row.Scenario, $"≥ {(goal == 1 ? "" : Goal(goal) + " ")}pgbench simple-update, {(sixteenClients ? "16 clients" : "1 client")}",
                    $"{Times(ratio)} ({row.Target}: {row.Load.Throughput:F0} vs {ceiling:F0} tps)", ratio >= goal));
            }
        }

        if (Row("seed-load", Http) is { } seed)
        {
            checks.Add(new("seed-load", "p95 ≤ 10 ms, zero errors, exact effect count",
                $"p95 {Ms(seed.Load.Percentile(95))}, {seed.Load.Errors} errors, {seed.Effects.Rows}/{seed.ExpectedEffects} effects",
                seed.Load.Percentile(95) <= 10 && seed.Load.Errors == 0 && seed.Correct));
        }

        if (Row("pos-seed", Http) is { } pos) // issue 14
        {
            checks.Add(new("pos-seed", "p95 ≤ 100 ms, zero errors, exact effect count",
                $"p95 {Ms(pos.Load.Percentile(95))}, {pos.Load.Errors} errors, {pos.Effects.Rows}/{pos.ExpectedEffects} effects",
                pos.Load.Percentile(95) <= 100 && pos.Load.Errors == 0 && pos.Correct));
        }

        VersusBaseline("hot-sku", 5, hot => $"mean flush batch {hot.Flushes?.MeanBatch:F1}"); // the older issue's target
        VersusBaseline("hot-sku", 3); // issue 13
        VersusPgBench(Direct("hot-sku"), 3, sixteenClients: false); // the older issue's target
        VersusPgBench(Row("hot-sku", Grains), 1.5, sixteenClients: false); // issue 13
        VersusPgBench(Row("spread", Grains), 1, sixteenClients: true); // the older issue's and issue 13's alike
        VersusBaseline("spread", 1.5); // issue 13
        VersusBaseline("loyalty-mixed", 1.5); // issue 13
        VersusBaseline("checkout", 1.5); // issue 16: checkouts per second, each a reserve and its commit or release

        foreach (var target in new[] { Http, Grains })
        {
            if (Row("replay", target) is not { } replay)
            {
                continue;
            }

            checks.Add(new("replay", $"no database round trip ({target})", $"{replay.WritePathStatements} write-path statements", replay.WritePathStatements == 0));
            if ((Row("hot-sku", target) ?? Row("spread", target)) is { } fresh)
            {
                var ratio = replay.Load.Throughput / fresh.Load.Throughput;
                checks.Add(new("replay", $"≥ 10× fresh writes ({target}, {fresh.Scenario})", Times(ratio), ratio >= 10));
            }
        }

        // Issue 13: one statement carries the writes of many commands (shared transactions, set-based statements).
        foreach (var row in rows.Where(r => r.Scenario is "spread" or "hot-sku" && r.Target is Http or Grains))
        {
            checks.Add(new(row.Scenario, $"≤ 0.25 write-path statements per effect ({row.Target})",
                $"{PerEffect(row.StatementsPerEffect)} ({row.WritePathStatements} statements, {row.Effects.Rows} effects)",
                row.StatementsPerEffect is <= 0.25));
        }

        // Issue 13: the silo holds a fixed number of connections, however many callers there are.
        foreach (var row in rows.Where(r => r.Target is Http or Grains))
        {
            var silo = row.Connections.Peak(FurnitureOpsService.SiloConnections);
            checks.Add(new(row.Scenario, $"silo connections ≤ {SiloConnectionBudget} ({row.Target})",
                $"peak {silo} (API {row.Connections.Peak(FurnitureOpsService.ApiConnections)}, {row.Connections.Samples} samples)",
                row.Connections.Samples > 0 && silo <= SiloConnectionBudget));
        }

        // Issue 13: a SKU's cost does not grow with the idempotency records it holds.
        if (manyKeys is { Rows.Count: >= 2 })
        {
            var (fewest, most) = (manyKeys.Rows[0], manyKeys.Rows[^1]);
            var versus = $"{most.Records:N0} vs {fewest.Records:N0} records";
            checks.Add(new(ManyKeysScenario.Name, "activation time ≤ 1.5× with 100× the records",
                $"{Times(manyKeys.ActivationRatio)} ({versus}: median {Ms(most.Activation.MedianMs)} vs {Ms(fewest.Activation.MedianMs)})",
                manyKeys.ActivationRatio <= 1.5));
            checks.Add(new(ManyKeysScenario.Name, "sale (flush) time ≤ 1.5× with 100× the records",
                $"{Times(manyKeys.SaleRatio)} ({versus}: median {Ms(most.Sale.MedianMs)} vs {Ms(fewest.Sale.MedianMs)}, {most.SaleErrors + fewest.SaleErrors} errors)",
                manyKeys.SaleRatio <= 1.5 && most.SaleErrors + fewest.SaleErrors == 0));
        }

        foreach (var row in rows.Where(r => !r.Correct))
        {
            checks.Add(new(row.Scenario, $"{row.Target}: exact effect count", $"{row.Effects.Rows} rows, {row.Effects.DistinctKeys} keys, {row.ExpectedEffects} expected", false));
        }

        return checks;
    }

    public static string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString(value < 10 ? "F2" : "F1", CultureInfo.InvariantCulture) + " ms";

    public static string Times(double ratio) => ratio.ToString("F2", CultureInfo.InvariantCulture) + "×";

    public static string PerEffect(double? statements) => statements?.ToString("F2", CultureInfo.InvariantCulture) ?? "-";

    // A goal's factor as the issues write it: 5×, 1.5×.
    private static string Goal(double factor) => factor.ToString("0.##", CultureInfo.InvariantCulture) + "×";
}

/// <summary>pgbench simple-update on the same server: the machine's commit ceiling with 1 and 16 clients.</summary>
public sealed record Ceilings(double OneClient, double SixteenClients);
