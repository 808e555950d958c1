using FurnitureOps.Bench.Load;
using Npgsql;

namespace FurnitureOps.Bench.Targets;

/// <summary>The effects a run left in a ledger: rows, and how many distinct idempotency keys they carry.</summary>
public sealed record Effects(long Rows, long DistinctKeys);

/// <summary>Which ledger rows a scenario's effects are: sales, loyalty entries, or reservations' reserves, commits and releases.</summary>
public enum EffectKind
{
    Sales,
    Loyalty,
    Reservations,
}

/// <summary>
/// A system under load: FurnitureOps over HTTP, FurnitureOps' grains called directly, or the row-lock
/// baseline. A scenario sends each the same requests and reads its effects back from its ledger.
/// </summary>
public abstract class Target(string name) : IDisposable
{
    public string Name { get; } = name;

    /// <summary>Sends one request as caller <paramref name="client"/> of <paramref name="tenant"/>; what it was answered.</summary>
    public abstract Task<BenchAnswer> SendAsync(BenchRequest request, string tenant, int client, CancellationToken cancellationToken);

    public abstract Task CreateSkusAsync(string tenant, IReadOnlyList<string> skus, long onHand);

    /// <summary>The rows of <paramref name="kind"/> the tenant's ledgers hold.</summary>
    public abstract Task<Effects> CountEffectsAsync(string tenant, EffectKind kind);

    /// <summary>
    /// The tenant's rows of <paramref name="kind"/>: every row of the loyalty ledger, or the stock ledger's rows
    /// of the kind's operations, which FurnitureOps' ledger and the baseline's name alike.
    /// </summary>
    protected static async Task<Effects> CountEffectsAsync(
        NpgsqlDataSource database, string tenant, EffectKind kind, string stockLedger, string loyaltyLedger)
    {
        var loyalty = kind == EffectKind.Loyalty;
        await using var command = database.CreateCommand(loyalty
            ? $"SELECT count(*), count(DISTINCT idempotency_key) FROM {loyaltyLedger} WHERE tenant_id = $1"
            : $"SELECT count(*), count(DISTINCT idempotency_key) FROM {stockLedger} WHERE tenant_id = $1 AND operation = ANY($2)");
        command.Parameters.Add(new() { Value = tenant });
        if (!loyalty)
        {
            string[] operations = kind == EffectKind.Reservations ? ["reserve", "reservation_commit", "reservation_release"] : ["sell"];
            command.Parameters.Add(new() { Value = operations });
        }

        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Effects(reader.GetInt64(0), reader.GetInt64(1));
    }

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
