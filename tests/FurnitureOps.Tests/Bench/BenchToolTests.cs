using FurnitureOps.Bench.Baseline;
using FurnitureOps.Bench.Load;
using FurnitureOps.Bench.Reporting;
using FurnitureOps.Bench.Scenarios;
using FurnitureOps.Bench.Targets;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Bench;

/// <summary>
/// The bench tool measures what it says: its runs answer every request, count effects from the ledger,
/// round trips from pg_stat_statements and connections from pg_stat_activity, and its report carries them.
/// Against the baseline only, at a small scale, on a server of its own (pg_stat_statements must be preloaded).
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class BenchToolTests
{
    [Fact]
    public async Task ScenariosCountEffectsAndRoundTripsFromTheDatabase()
    {
        await using var measured = await MeasuredBaseline.StartAsync(maxConnections: 75);
        var (target, sampler) = (measured.Target, measured.Sampler);
        var cpu = await CpuClock.StartAsync(silo: null, api: null, measured.Admin);

        Assert.False(new PosSeedScenario().RunsOn(target)); // the baseline has no POS intake
        var seed = await new SeedLoadScenario().RunAsync(target, sampler, cpu, scale: 0.1, TimeSpan.FromMinutes(1));
        var replay = await new ReplayScenario().RunAsync(target, sampler, cpu, scale: 0.02, TimeSpan.FromMinutes(1));

        // seed-load at 0.1: 200 requests carrying 40 distinct keys, 5 times each.
        Assert.Equal(200, seed.Load.Completed);
        Assert.Equal(new Dictionary<int, int> { [200] = 200 }, seed.Load.Statuses);
        Assert.Equal((40L, 40L, 40L), (seed.ExpectedEffects, seed.Effects.Rows, seed.Effects.DistinctKeys));
        Assert.True(seed.Correct);
        Assert.Equal(200, seed.WritePathStatements); // one function call per request, replays included
        Assert.Equal(200.0 / 40, seed.StatementsPerEffect);

        // The baseline's pool, found by its application_name: open while the run went on, one per caller at most.
        Assert.InRange(seed.Connections.Peak(RowLockBaseline.ApplicationName), 1, seed.Clients);
        Assert.True(seed.Connections.Samples >= 2); // at least one before the run and one after

        // CPU: the baseline has no service process; its server (in this process) and PostgreSQL did the work.
        var perRequest = Assert.IsType<CpuTimes>(seed.CpuPerRequest);
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero), (perRequest.Silo, perRequest.Api));
        Assert.True(perRequest.Postgres > TimeSpan.Zero, $"postgres {perRequest.Postgres}");
        Assert.True(perRequest.Bench > TimeSpan.Zero, $"bench {perRequest.Bench}");

        // replay at 0.02: 100 sends of one committed sale (the first sale, made before the measured run, is its one effect).
        Assert.Equal(100, replay.Load.Completed);
        Assert.Equal(1, replay.Effects.Rows);
        Assert.Equal(100, replay.WritePathStatements);

        // A scenario's rounds add up into one row per target (Program.MeasureAsync): a second seed-load round.
        var second = await new SeedLoadScenario().RunAsync(target, sampler, cpu, scale: 0.1, TimeSpan.FromMinutes(1));
        var combined = ScenarioRow.Combined([seed, second]);
        Assert.Equal((400, 80L, 80L, 80L, 400L),
            (combined.Load.Completed, combined.ExpectedEffects, combined.Effects.Rows, combined.Effects.DistinctKeys, combined.WritePathStatements));
        Assert.True(combined.Correct);
        Assert.Equal(seed.Load.Elapsed + second.Load.Elapsed, combined.Load.Elapsed);
        Assert.Equal([.. seed.Load.LatenciesMs.Concat(second.Load.LatenciesMs).Order()], combined.Load.LatenciesMs);
        Assert.Equal(new Dictionary<int, int> { [200] = 400 }, combined.Load.Statuses);
        Assert.Equal(Math.Max(seed.Connections.Peak(RowLockBaseline.ApplicationName), second.Connections.Peak(RowLockBaseline.ApplicationName)),
            combined.Connections.Peak(RowLockBaseline.ApplicationName));
        Assert.Equal(seed.Cpu! + second.Cpu!, combined.Cpu);

        var table = Report.Table([seed, replay], null, Goals.Check([seed, replay], null));
        Assert.Contains("seed-load", table, StringComparison.Ordinal);
        Assert.Contains("40/40 ok", table, StringComparison.Ordinal);
        Assert.Contains("1/1 ok", table, StringComparison.Ordinal);
        Assert.Contains("conns", table, StringComparison.Ordinal);
        Assert.Contains("stmt/eff", table, StringComparison.Ordinal);
        // Statements per effect, the pool's peak, then CPU µs per request: silo + API + PostgreSQL + bench = total.
        Assert.Matches(@"(?m)^seed-load .* 5\.00 +[1-9][0-9]* +0\+0\+[0-9]+\+[0-9]+=[0-9]+\r?$", table);
    }

    [Fact]
    public void APosSaleIsTheSeedsEventOfOneLineForAPlayer()
    {
        var request = new BenchRequest(Operation.PosSale, "POS-7", 2, "till-3-000007", "P-7");

        using var body = System.Text.Json.JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal("/v1/pos/events", request.Path);
        Assert.Equal(("sale", "P-7", 20m), (root.GetProperty("type").GetString(), root.GetProperty("playerId").GetString(), root.GetProperty("amount").GetDecimal()));
        var line = Assert.Single(root.GetProperty("lines").EnumerateArray());
        Assert.Equal(("POS-7", 2L), (line.GetProperty("sku").GetString(), line.GetProperty("quantity").GetInt64()));
    }
}
