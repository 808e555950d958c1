using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FurnitureOps.Grains.Storage;

/// <summary>
/// The silo's connections to PostgreSQL by purpose (<see cref="ConnectionBudget"/>): one pool per purpose,
/// sized by the budget, each named for its purpose so <c>pg_stat_activity.application_name</c> and the
/// Npgsql connection metrics say who holds what.
/// </summary>
public sealed class PostgresConnections(IConfiguration configuration, IOptions<ConnectionBudget> budget)
{
    public const string Commit = "commit";
    public const string Grains = "grains";
    public const string Workers = "workers";
    public const string Orleans = "orleans";

    public ConnectionBudget Budget { get; } = budget.Value;

    /// <summary>A data source for one purpose; the caller owns (and disposes) it.</summary>
    public NpgsqlDataSource Create(string purpose)
    {
        var builder = new NpgsqlDataSourceBuilder(ConnectionString(purpose)) { Name = purpose };
        return builder.Build();
    }

    /// <summary>The connection string for one purpose: the configured one, with the purpose's pool size and name.</summary>
    public string ConnectionString(string purpose)
    {
        var builder = new NpgsqlConnectionStringBuilder(GrainServiceCollectionExtensions.PostgresConnectionString(configuration))
        {
            MaxPoolSize = purpose switch
            {
                Commit => Budget.CommitLanes,
                Grains => Budget.Grains,
                Workers => Budget.Workers,
                Orleans => Budget.Orleans,
                _ => throw new ArgumentOutOfRangeException(nameof(purpose), purpose, "Unknown connection purpose."),
            },
        };
        builder.MinPoolSize = Math.Min(builder.MinPoolSize, builder.MaxPoolSize);
        builder.ApplicationName = $"{builder.ApplicationName ?? "furnitureops"}/{purpose}";
        if (purpose == Commit)
        {
            // Never prepared, so PostgreSQL plans each statement with its arrays in hand. Prepared, it settles on a
            // generic plan after five runs, chosen without the arrays' sizes: in spread the state UPDATE then took
            // 3.1 ms per transaction instead of 0.45, and the silo ran at 0.72x pgbench (docs/benchmarks.md).
            builder.MaxAutoPrepare = 0;
        }

        return builder.ConnectionString;
    }
}
