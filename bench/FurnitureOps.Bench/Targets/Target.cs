namespace FurnitureOps.Bench.Targets;

/// <summary>The effects a run left in a ledger: rows, and how many distinct idempotency keys they carry.</summary>
public sealed record Effects(long Rows, long DistinctKeys);

/// <summary>
/// A system under load: FurnitureOps or the row-lock baseline. Both serve the same routes and bodies, so a
/// scenario sends identical requests to each; they differ in how a caller is identified and where effects land.
/// </summary>
public abstract class Target(string name, Uri baseAddress, int maxConnections) : IDisposable
{
    public string Name { get; } = name;

    /// <summary>One client for every simulated caller, with a connection each: callers never queue in the pool.</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections, UseCookies = false })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Marks the request as coming from caller <paramref name="client"/> of <paramref name="tenant"/>.</summary>
    public abstract void Identify(HttpRequestMessage request, string tenant, int client);

    public abstract Task CreateSkusAsync(string tenant, IReadOnlyList<string> skus, long onHand);

    /// <summary>Sale rows (<paramref name="loyalty"/> false) or loyalty rows the tenant's ledger holds.</summary>
    public abstract Task<Effects> CountEffectsAsync(string tenant, bool loyalty);

    /// <summary>Statements PostgreSQL has executed on this target's write-path tables so far (pg_stat_statements).</summary>
    public abstract Task<long> WritePathStatementsAsync();

    public virtual void Dispose()
    {
        Http.Dispose();
        GC.SuppressFinalize(this);
    }
}
