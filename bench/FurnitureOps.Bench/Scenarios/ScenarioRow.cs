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
    ConnectionPeaks Connections)
{
    /// <summary>The ledger holds exactly the expected effects, one per key, and nothing went unanswered.</summary>
    public bool Correct => !Load.HitTimeBound && Effects.Rows == ExpectedEffects && Effects.DistinctKeys == Effects.Rows;
}
