using FurnitureOps.Grains.Ledger;
using FurnitureOps.Grains.Loyalty;
using FurnitureOps.Grains.Storage;
using FurnitureOps.ServiceDefaults;
using FurnitureOps.Silo.Health;
using HealthChecks.UI.Client;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FurnitureOps.Silo;

/// <summary>
/// The silo's HTTP surface for operators. Health answers JSON with each check's status and duration:
/// <c>/livez</c> (process alive), <c>/startupz</c> (migrations applied, configuration valid, silo joined) and <c>/health/ready</c>
/// (PostgreSQL answers in time, storage circuit closed, silo active, not shutting down).
/// </summary>
public static class OperationsEndpoints
{
    public static IServiceCollection AddSiloHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [Tags.Startup])
            .AddConfigurationCheck([Tags.Startup], typeof(ClusterEndpointOptions), typeof(LedgerOptions), typeof(LoyaltyOptions),
                typeof(StorageOptions), typeof(WebhookDestinationOptions), typeof(ShutdownOptions))
            .AddCheck<ClusterMembershipHealthCheck>("cluster", tags: [Tags.Startup, Tags.Ready])
            .AddCheck<PostgresHealthCheck>("postgres", tags: [Tags.Ready])
            .AddCheck<StorageCircuitHealthCheck>("storage-circuit", tags: [Tags.Ready])
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: [Tags.Ready]);
        return services;
    }

    public static WebApplication MapOperationsEndpoints(this WebApplication app)
    {
        app.UseInFlightTracking();
        app.MapGet("/", () => TypedResults.Ok(new
        {
            service = "furnitureops-silo", liveness = "/livez", startup = "/startupz", readiness = "/health/ready", metrics = "/metrics",
            dashboard = DashboardAccess.Path,
        }));
        app.MapHealthChecks("/livez", Report(_ => false));
        app.MapHealthChecks("/startupz", Report(check => check.Tags.Contains(Tags.Startup)));
        app.MapHealthChecks("/health/ready", Report(check => check.Tags.Contains(Tags.Ready)));
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapProtectedDashboard();
        return app;
    }

    private static HealthCheckOptions Report(Func<HealthCheckRegistration, bool> predicate) =>
        new() { Predicate = predicate, ResponseWriter = UIResponseWriter.WriteHealthCheckUIResponse };

    private static class Tags
    {
        public const string Startup = "startup";
        public const string Ready = "ready";
    }

}
