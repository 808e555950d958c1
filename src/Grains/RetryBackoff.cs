namespace FurnitureOps.Grains;

/// <summary>
/// The one backoff of everything that retries on its own: saga steps (POS events, rating-slip accruals), outbox
/// publication, webhook deliveries and the background loops. The wait doubles with each failed attempt up to a
/// cap, with ±20 % jitter so that many failures (one outage) do not all come back at the same instant.
/// </summary>
public static class RetryBackoff
{
    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1 for the first failure).</summary>
    public static TimeSpan After(int attempt, TimeSpan initial, TimeSpan max)
    {
        var exponential = initial * Math.Pow(2, Math.Clamp(attempt - 1, 0, 30));
        var capped = exponential < max ? exponential : max;
        return capped * (0.8 + (Random.Shared.NextDouble() * 0.4));
    }
}
