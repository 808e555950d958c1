using FurnitureOps.Grains.Events;
using FurnitureOps.Grains.Holds;
using FurnitureOps.Grains.Ledger;
using FurnitureOps.Grains.Ledger.Commit;
using FurnitureOps.Grains.Loyalty;
using FurnitureOps.Grains.Pos;
using FurnitureOps.Grains.RatingSlips;
using FurnitureOps.Grains.Sagas;
using FurnitureOps.Grains.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FurnitureOps.Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>
    /// Registers what the grains need: PostgreSQL (<c>ConnectionStrings:Postgres</c>) as one pool per purpose
    /// within the silo's connection budget (<c>Storage:Connections</c>), the commit pipeline (<c>Ledger:Commit</c>),
    /// the ledger options (sections <c>Ledger</c> and <c>Idempotency</c>), the loyalty options (<c>Loyalty</c>)
    /// and the ledger clock. The plain <see cref="NpgsqlDataSource"/> is the background workers' pool.
    /// </summary>
    public static IServiceCollection AddFurnitureOpsGrains(this IServiceCollection services)
    {
        services.AddOptions<ConnectionBudget>().BindConfiguration("Storage:Connections").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<PostgresConnections>();
        services.TryAddSingleton(provider => provider.GetRequiredService<PostgresConnections>().Create(PostgresConnections.Workers));
        services.TryAddSingleton(GrainClock.System);
        services.AddOptions<StorageOptions>().BindConfiguration("Storage").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(provider =>
        {
            var connections = provider.GetRequiredService<PostgresConnections>();
            return new PostgresStorage(
                connections.Create(PostgresConnections.Grains),
                provider.GetRequiredService<IOptions<StorageOptions>>().Value,
                connections.Budget.Grains);
        });
        services.AddOptions<CommitOptions>().BindConfiguration("Ledger:Commit").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<CommitPipeline>();
        services.TryAddSingleton<PosAttentionStore>();
        services.TryAddSingleton<PosPendingStore>();
        services.TryAddSingleton<RatingSlipAttentionStore>();
        services.TryAddSingleton<LegacySagaStorage>();
        services.TryAddSingleton<PostgresProbe>();
        services.AddSingleton<IIncomingGrainCallFilter, RequestIdLogScopeFilter>();
        services.AddSingleton<IIncomingGrainCallFilter, StorageFailureFilter>();
        services.AddOptions<LedgerOptions>()
            .BindConfiguration("Ledger")
            .Configure<IConfiguration>((options, configuration) =>
            {
                // The documented name for retention is Idempotency:Retention.
                if (configuration.GetValue<TimeSpan?>("Idempotency:Retention") is { } retention)
                {
                    options.IdempotencyRetention = retention;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<LoyaltyOptions>()
            .BindConfiguration("Loyalty")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<PosOptions>()
            .BindConfiguration("Pos")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<StockHoldOptions>()
            .BindConfiguration("Holds")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<EventBacklog>();
        services.TryAddSingleton<PosIntakeGate>();
        return services;
    }

    public static string PostgresConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Postgres")
        ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required.");
}
