using System.Globalization;
using System.Text;
using System.Text.Json;
using FurnitureOps.Bench.Scenarios;
using FurnitureOps.Bench.Targets;

namespace FurnitureOps.Bench.Reporting;

/// <summary>Prints the run as a table and writes it, with the machine's description, as JSON.</summary>
public static class Report
{
    // NaN latencies (a run with no answers) are written as "NaN" rather than failing the report.
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The main table, the pgbench ceilings, the many-keys table if it ran, then every goal met or missed.</summary>
    public static string Table(IReadOnlyList<ScenarioRow> rows, Ceilings? ceilings, IReadOnlyList<TargetCheck> checks, ManyKeysResult? manyKeys = null)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"scenario",-14}{"target",-21}{"clients",8}{"requests",9}{"req/s",9}{"× base",8}{"p50",10}{"p95",10}{"p99",10}{"max",10}{"errors",8}{"effects",14}{"batch",7}{"flush",10}{"stmts",8}{"stmt/eff",9}{"conns",8}{"cpu µs/req silo+api+pg+bench",32}");
        foreach (var row in rows)
        {
            var baseline = rows.FirstOrDefault(r => r.Scenario == row.Scenario && r.Target == Goals.Baseline);
            var ratio = row.Target != Goals.Baseline && baseline is not null ? Goals.Times(row.Load.Throughput / baseline.Load.Throughput) : "";
            var effects = $"{row.Effects.Rows}/{row.ExpectedEffects}{(row.Correct ? " ok" : " BAD")}";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{row.Scenario,-14}{row.Target,-21}{row.Clients,8}{row.Load.Completed,9}{row.Load.Throughput,9:F0}{ratio,8}" +
                $"{Goals.Ms(row.Load.Percentile(50)),10}{Goals.Ms(row.Load.Percentile(95)),10}{Goals.Ms(row.Load.Percentile(99)),10}{Goals.Ms(row.Load.Max),10}" +
                $"{row.Load.Errors,8}{effects,14}{(row.Flushes?.MeanBatch is { } batch ? batch.ToString("F1", CultureInfo.InvariantCulture) : ""),7}{(row.Flushes?.MeanMilliseconds is { } flushMs ? Goals.Ms(flushMs) : ""),10}{row.WritePathStatements,8}" +
                $"{Goals.PerEffect(row.StatementsPerEffect),9}{Connections(row),8}{Cpu(row.CpuPerRequest),32}");
        }

        text.AppendLine("checkout: a request is one checkout (a reserve, then its commit or release), so its req/s, latencies and cpu are per checkout");
        text.AppendLine("conns: most PostgreSQL connections held at once during the run (FurnitureOps: silo+API; baseline: its pool)");
        text.AppendLine("cpu: CPU time per request in the silo process, the API process, PostgreSQL, and the bench process (load generator; the baseline's server; the grains target's Orleans client)");

        if (ceilings is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"pgbench simple-update (commit ceiling): {ceilings.OneClient:F0} tps with 1 client, {ceilings.SixteenClients:F0} tps with 16 clients");
        }

        if (manyKeys is not null)
        {
            text.AppendLine();
            text.Append(ManyKeysTable(manyKeys));
        }

        text.AppendLine();
        foreach (var check in checks)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{(check.Met ? "met   " : "MISSED")} {check.Scenario,-14}{check.Goal,-64}{check.Measured}");
        }

        return text.ToString();
    }

    /// <summary>The many-keys scenario: one line per record count, then the ratios of the most records to the fewest.</summary>
    public static string ManyKeysTable(ManyKeysResult result)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{ManyKeysScenario.Name} ({Goals.Grains}): {ManyKeysScenario.Description}");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{"records",12}{"insert",10}{"activations",13}{"median",10}{"mean",10}{"max",10}{"sales",8}{"median",10}{"mean",10}{"max",10}{"errors",8}");
        foreach (var row in result.Rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{row.Records,12:N0}{row.InsertSeconds,9:F1}s{row.Activation.Count,13}{Goals.Ms(row.Activation.MedianMs),10}{Goals.Ms(row.Activation.MeanMs),10}{Goals.Ms(row.Activation.MaxMs),10}" +
                $"{row.Sale.Count,8}{Goals.Ms(row.Sale.MedianMs),10}{Goals.Ms(row.Sale.MeanMs),10}{Goals.Ms(row.Sale.MaxMs),10}{row.SaleErrors,8}");
        }

        if (result.Rows.Count >= 2)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{"most/fewest",12}{"",10}{"",13}{Goals.Times(result.ActivationRatio),10}{"",10}{"",8}{Goals.Times(result.SaleRatio),10}");
        }

        return text.ToString();
    }

    public static async Task<string> WriteJsonAsync(
        string directory, object machine, IReadOnlyList<ScenarioRow> rows, Ceilings? ceilings, IReadOnlyList<TargetCheck> checks,
        IReadOnlyList<StatementTime> slowestStatements, ManyKeysResult? manyKeys = null)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"bench-{DateTime.UtcNow:yyyyMMdd-HHmmss}.json");
        var document = new
        {
            date = DateTime.UtcNow,
            machine,
            ceilings,
            scenarios = rows.Select(row => new
            {
                row.Scenario,
                row.Target,
                row.Clients,
                requests = row.Load.Requests,
                answered = row.Load.Completed,
                seconds = row.Load.Elapsed.TotalSeconds,
                throughput = row.Load.Throughput,
                latencyMs = new { p50 = row.Load.Percentile(50), p95 = row.Load.Percentile(95), p99 = row.Load.Percentile(99), max = row.Load.Max },
                statuses = row.Load.Statuses.ToDictionary(s => s.Key.ToString(CultureInfo.InvariantCulture), s => s.Value),
                errors = row.Load.Errors,
                effects = new { expected = row.ExpectedEffects, rows = row.Effects.Rows, distinctKeys = row.Effects.DistinctKeys, row.Correct },
                flushes = row.Flushes is null ? null : new { batches = row.Flushes.Flushes, meanCommands = row.Flushes.MeanBatch, meanMilliseconds = row.Flushes.MeanMilliseconds },
                row.WritePathStatements,
                row.StatementsPerEffect,
                row.RateLimitGrainCalls,
                connections = new { peak = row.Connections.ByHolder, together = row.Connections.Together, samples = row.Connections.Samples },
                cpuMicrosecondsPerRequest = row.CpuPerRequest is not { } cpu ? null : new
                {
                    silo = cpu.Silo.TotalMicroseconds,
                    api = cpu.Api.TotalMicroseconds,
                    postgres = cpu.Postgres.TotalMicroseconds,
                    bench = cpu.Bench.TotalMicroseconds,
                    total = cpu.Total.TotalMicroseconds,
                },
                row.Load.HitTimeBound,
            }),
            manyKeys = manyKeys is null ? null : new
            {
                rows = manyKeys.Rows,
                activationRatio = manyKeys.Rows.Count >= 2 ? manyKeys.ActivationRatio : (double?)null,
                saleRatio = manyKeys.Rows.Count >= 2 ? manyKeys.SaleRatio : (double?)null,
            },
            targets = checks,
            slowestStatements,
        };
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(document, Json));
        return path;
    }

    // "silo+API" for FurnitureOps (each part's own peak), the pool's peak for the baseline.
    private static string Connections(ScenarioRow row) =>
        row.Connections.Samples == 0 ? "-"
        : row.Target == Goals.Baseline ? row.Connections.Together.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture,
            $"{row.Connections.Peak(FurnitureOpsService.SiloConnections)}+{row.Connections.Peak(FurnitureOpsService.ApiConnections)}");

    private static string Cpu(CpuTimes? perRequest) => perRequest is null ? "" : string.Create(CultureInfo.InvariantCulture,
        $"{perRequest.Silo.TotalMicroseconds:F0}+{perRequest.Api.TotalMicroseconds:F0}+{perRequest.Postgres.TotalMicroseconds:F0}+{perRequest.Bench.TotalMicroseconds:F0}={perRequest.Total.TotalMicroseconds:F0}");
}
