using FurnitureOps.Bench.Load;

namespace FurnitureOps.Bench.Targets;

/// <summary>The effects a run left in a ledger: rows, and how many distinct idempotency keys they carry.</summary>
public sealed record Effects(long Rows, long DistinctKeys);

/// <summary>
/// A system under load: FurnitureOps over HTTP, FurnitureOps' grains called directly, or the row-lock
/// baseline. A scenario sends each the same requests and reads its effects back from its ledger.
/// </summary>
public abstract class Target(string name) : IDisposable
{
    public string Name { get; } = name;

    /// <summary>Sends one request as caller <paramref name="client"/> of <paramref name="tenant"/>; the HTTP status it earned (0: no answer).</summary>
    public abstract Task<int> SendAsync(BenchRequest request, string tenant, int client, CancellationToken cancellationToken);

    public abstract Task CreateSkusAsync(string tenant, IReadOnlyList<string> skus, long onHand);

    /// <summary>Sale rows (<paramref name="loyalty"/> false) or loyalty rows the tenant's ledger holds.</summary>
    public abstract Task<Effects> CountEffectsAsync(string tenant, bool loyalty);

    /// <summary>Statements PostgreSQL has executed on this target's write-path tables so far (pg_stat_statements).</summary>
    public abstract Task<long> WritePathStatementsAsync();

    /// <summary>
    /// Which part of this target holds a server connection named <paramref name="applicationName"/>
    /// (<c>pg_stat_activity.application_name</c>), or null if the connection is not this target's.
    /// </summary>
    public abstract string? ConnectionHolder(string applicationName);

    /// <summary>The silo's flush totals so far, where there is a silo.</summary>
    public virtual Task<FlushTotals?> FlushTotalsAsync() => Task.FromResult<FlushTotals?>(null);

    /// <summary>The API's round trips to rate-limit grains so far, where requests pass the API.</summary>
    public virtual Task<long?> RateLimitGrainCallsAsync() => Task.FromResult<long?>(null);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
