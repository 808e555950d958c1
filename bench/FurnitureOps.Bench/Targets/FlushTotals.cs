namespace FurnitureOps.Bench.Targets;

/// <summary>Running totals of the silo's flushes: how many, the commands they took, and their transactions' seconds.</summary>
public sealed record FlushTotals(double Flushes, double Commands, double Seconds)
{
    public static FlushTotals operator -(FlushTotals after, FlushTotals before) =>
        new(after.Flushes - before.Flushes, after.Commands - before.Commands, after.Seconds - before.Seconds);

    public static FlushTotals operator +(FlushTotals a, FlushTotals b) =>
        new(a.Flushes + b.Flushes, a.Commands + b.Commands, a.Seconds + b.Seconds);

    public double? MeanBatch => Flushes > 0 ? Commands / Flushes : null;

    public double? MeanMilliseconds => Flushes > 0 ? 1000 * Seconds / Flushes : null;
}
