namespace FurnitureOps.Bench.Targets;

/// <summary>
/// The most PostgreSQL connections a target's parts held at once during a run, from samples of
/// <c>pg_stat_activity</c>: per part (<see cref="Target.ConnectionHolder"/>) and all parts together in one sample.
/// </summary>
/// <param name="ByHolder">Peak per part, e.g. <c>silo</c> and <c>api</c>; a part never seen is absent.</param>
/// <param name="Together">Peak of the parts' sum within one sample (at most the sum of the per-part peaks).</param>
/// <param name="Samples">How many samples the peaks come from.</param>
public sealed record ConnectionPeaks(IReadOnlyDictionary<string, int> ByHolder, int Together, int Samples)
{
    /// <summary>The peak of one part (0 if it held no connection in any sample).</summary>
    public int Peak(string holder) => ByHolder.GetValueOrDefault(holder);

    /// <summary>The peaks of several runs: the highest of each, over all their samples.</summary>
    public static ConnectionPeaks Highest(IReadOnlyList<ConnectionPeaks> runs) => new(
        runs.SelectMany(run => run.ByHolder).GroupBy(peak => peak.Key).ToDictionary(group => group.Key, group => group.Max(peak => peak.Value)),
        runs.Max(run => run.Together), runs.Sum(run => run.Samples));
}
