using System.Globalization;

namespace FurnitureOps.Bench;

/// <summary>Command line: scenario names (none = all), <c>--scale</c>, <c>--pgbench-seconds</c> (0 skips it), <c>--out</c>.</summary>
public sealed record BenchOptions(IReadOnlySet<string> Scenarios, double Scale, int PgBenchSeconds, string OutputDirectory)
{
    /// <summary>Longest one run against one target may take before it stops and is reported incomplete.</summary>
    public TimeSpan Bound { get; } = TimeSpan.FromMinutes(3);

    public static BenchOptions? Parse(string[] args, IReadOnlyList<string> known)
    {
        var scenarios = new HashSet<string>();
        double scale = 1;
        var pgbenchSeconds = 10;
        var output = Path.Combine("bench", "results");
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--scale" when i + 1 < args.Length && double.TryParse(args[++i], CultureInfo.InvariantCulture, out scale) && scale is > 0 and <= 10:
                    break;
                case "--pgbench-seconds" when i + 1 < args.Length && int.TryParse(args[++i], CultureInfo.InvariantCulture, out pgbenchSeconds) && pgbenchSeconds is >= 0 and <= 300:
                    break;
                case "--out" when i + 1 < args.Length:
                    output = args[++i];
                    break;
                case var name when known.Contains(name):
                    scenarios.Add(name);
                    break;
                default:
                    return null;
            }
        }

        return new BenchOptions(scenarios, scale, pgbenchSeconds, output);
    }
}
