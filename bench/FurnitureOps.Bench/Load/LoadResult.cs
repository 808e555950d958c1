namespace FurnitureOps.Bench.Load;

/// <summary>What one run of requests against one target measured.</summary>
public sealed record LoadResult(
    int Requests,
    int Completed,
    TimeSpan Elapsed,
    double[] LatenciesMs,
    IReadOnlyDictionary<int, int> Statuses,
    IReadOnlySet<string> AcknowledgedKeys,
    bool HitTimeBound)
{
    /// <summary>Answered requests per second over the run's wall time.</summary>
    public double Throughput => Completed / Elapsed.TotalSeconds;

    /// <summary>Answers outside 2xx and the business refusals 409/422 (status 0: no answer at all).</summary>
    public int Errors => Statuses.Where(s => s.Key is < 200 or >= 300 and not (409 or 422)).Sum(s => s.Value);

    public double Percentile(double p)
    {
        if (LatenciesMs.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(p / 100 * LatenciesMs.Length) - 1;
        return LatenciesMs[Math.Clamp(rank, 0, LatenciesMs.Length - 1)];
    }

    public double Max => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[^1];

    /// <summary>Several runs as one: their requests, time and answers added up, their latencies pooled.</summary>
    public static LoadResult Pooled(IReadOnlyList<LoadResult> runs) => new(
        runs.Sum(run => run.Requests),
        runs.Sum(run => run.Completed),
        runs.Aggregate(TimeSpan.Zero, (sum, run) => sum + run.Elapsed),
        [.. runs.SelectMany(run => run.LatenciesMs).Order()],
        runs.SelectMany(run => run.Statuses).GroupBy(status => status.Key).ToDictionary(group => group.Key, group => group.Sum(status => status.Value)),
        runs.SelectMany(run => run.AcknowledgedKeys).ToHashSet(),
        runs.Any(run => run.HitTimeBound));
}
