using FurnitureOps.Bench.Load;
using FurnitureOps.Bench.Targets;

namespace FurnitureOps.Bench.Scenarios;

/// <summary>One scenario's run against one target, with the ledger's account of what it did.</summary>
public sealed record ScenarioRow(
    string Scenario,
    string Target,
    int Clients,
    LoadResult Load,
    long ExpectedEffects,
    Effects Effects,
    FlushTotals? Flushes,
    long WritePathStatements,
    ConnectionPeaks Connections,
    CpuTimes? Cpu,
    long? RateLimitGrainCalls)
{
    /// <summary>CPU time per answered request, by where it was spent (null without a CPU clock or an answer).</summary>
    public CpuTimes? CpuPerRequest => Cpu is { } cpu && Load.Completed > 0 ? cpu.Per(Load.Completed) : null;

    /// <summary>
    /// Write-path statements the run made per ledger row the tenant holds (null without a row): below 1 when
    /// one statement writes the rows of many commands. A replay run's rows were written before it, so there
    /// this is its statements per the one effect.
    /// </summary>
    public double? StatementsPerEffect => Effects.Rows > 0 ? (double)WritePathStatements / Effects.Rows : null;

    /// <summary>The ledger holds exactly the expected effects, one per key, and nothing went unanswered.</summary>
    public bool Correct => !Load.HitTimeBound && Effects.Rows == ExpectedEffects && Effects.DistinctKeys == Effects.Rows;

    /// <summary>
    /// One target's rounds of a scenario as one row: everything added up, latencies pooled, connection peaks
    /// the highest. Each round had a tenant of its own, so effects and keys add up too.
    /// </summary>
    public static ScenarioRow Combined(IReadOnlyList<ScenarioRow> rounds)
    {
        var first = rounds[0];
        return new ScenarioRow(first.Scenario, first.Target, first.Clients,
            LoadResult.Pooled([.. rounds.Select(round => round.Load)]),
            rounds.Sum(round => round.ExpectedEffects),
            new Effects(rounds.Sum(round => round.Effects.Rows), rounds.Sum(round => round.Effects.DistinctKeys)),
            rounds.All(round => round.Flushes is not null) ? rounds.Select(round => round.Flushes!).Aggregate((a, b) => a + b) : null,
            rounds.Sum(round => round.WritePathStatements),
            ConnectionPeaks.Highest([.. rounds.Select(round => round.Connections)]),
            rounds.All(round => round.Cpu is not null) ? rounds.Select(round => round.Cpu!).Aggregate((a, b) => a + b) : null,
            rounds.All(round => round.RateLimitGrainCalls is not null) ? rounds.Sum(round => round.RateLimitGrainCalls!.Value) : null);
    }
}
