using FurnitureOps.Grains.Events;
using FurnitureOps.Grains.Ledger;
using FurnitureOps.Grains.Loyalty;
using FurnitureOps.Grains.Pos;
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
    /// Registers what the grains need: the PostgreSQL data source (<c>ConnectionStrings:Postgres</c>), the
    /// ledger options (sections <c>Ledger</c> and <c>Idempotency</c>), the loyalty options (<c>Loyalty</c>) and
    /// the ledger clock.
    /// </summary>
    public static IServiceCollection AddFurnitureOpsGrains(this IServiceCollection services)
    {
        services.TryAddSingleton(provider =>
            NpgsqlDataSource.Create(PostgresConnectionString(provider.GetRequiredService<IConfiguration>())));
        services.TryAddSingleton(GrainClock.System);
        services.AddOptions<StorageOptions>().BindConfiguration("Storage").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(provider => new PostgresStorage(
            provider.GetRequiredService<NpgsqlDataSource>(), provider.GetRequiredService<IOptions<StorageOptions>>().Value));
        services.TryAddSingleton<OutboxWriter>();
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
        services.TryAddSingleton<OutboxBacklog>();
        services.TryAddSingleton<PosIntakeGate>();
        return services;
    }

    public static string PostgresConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Postgres")
        ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required.");
}
