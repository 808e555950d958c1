namespace FurnitureOps.Bench.Scenarios;

/// <summary>Latencies of one measured step repeated: how many, their median, mean and the slowest, in milliseconds.</summary>
public sealed record Timing(int Count, double MedianMs, double MeanMs, double MaxMs)
{
    public static Timing Of(IReadOnlyCollection<double> milliseconds) =>
        milliseconds.Count == 0
            ? new(0, double.NaN, double.NaN, double.NaN)
            : new(milliseconds.Count, milliseconds.Order().ElementAt(milliseconds.Count / 2), milliseconds.Average(), milliseconds.Max());
}

/// <summary>One SKU holding <paramref name="Records"/> live idempotency records: its activation and its sales.</summary>
/// <param name="Records">Live records inserted for the SKU before measuring.</param>
/// <param name="InsertSeconds">How long inserting them took (set-up, not a goal).</param>
/// <param name="Activation">First call after a deactivation, until it answers: the activation's reads.</param>
/// <param name="Sale">One sale of quantity 1 under a fresh key from a single caller: a flush of one command.</param>
/// <param name="SaleErrors">Sales that did not answer 200.</param>
public sealed record ManyKeysRow(long Records, double InsertSeconds, Timing Activation, Timing Sale, int SaleErrors);

/// <summary>The many-keys scenario's rows, fewest records first, and how the most compares with the fewest.</summary>
public sealed record ManyKeysResult(IReadOnlyList<ManyKeysRow> Rows)
{
    // Medians: a millisecond-scale step on a shared machine has outliers that move a mean of a few dozen by 2×.

    /// <summary>Median activation with the most records over the median with the fewest (1: no growth with records).</summary>
    public double ActivationRatio => Rows[^1].Activation.MedianMs / Rows[0].Activation.MedianMs;

    /// <summary>Median sale with the most records over the median with the fewest.</summary>
    public double SaleRatio => Rows[^1].Sale.MedianMs / Rows[0].Sale.MedianMs;
}
