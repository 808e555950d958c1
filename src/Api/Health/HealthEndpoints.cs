using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Loyalty;
using FurnitureOps.Api.RateLimiting;
using FurnitureOps.ServiceDefaults;
using HealthChecks.UI.Client;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FurnitureOps.Api.Health;

/// <summary>
/// The API's health model, as JSON with each check's status and duration, unauthenticated and not rate
/// limited: <c>/livez</c> (process alive), <c>/startupz</c> (configuration valid, cluster client connected) and <c>/health/ready</c>
/// (cluster reachable, PostgreSQL answers, not shutting down).
/// </summary>
public static class HealthEndpoints
{
    private const string Startup = "startup";
    private const string Ready = "ready";

    public static IServiceCollection AddApiHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ClusterHealthCheck>("cluster", tags: [Startup, Ready])
            .AddConfigurationCheck([Startup], typeof(AuthOptions), typeof(HmacOptions), typeof(RateLimitOptions),
                typeof(LoyaltyApiOptions), typeof(WebhookDestinationOptions), typeof(ShutdownOptions))
            .AddCheck<StorageHealthCheck>("postgres", tags: [Ready])
            .AddCheck<ShutdownHealthCheck>("shutdown", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/livez", Report(_ => false)).DisableRateLimiting();
        app.MapHealthChecks("/startupz", Report(check => check.Tags.Contains(Startup))).DisableRateLimiting();
        app.MapHealthChecks("/health/ready", Report(check => check.Tags.Contains(Ready))).DisableRateLimiting();
        return app;
    }

    private static HealthCheckOptions Report(Func<HealthCheckRegistration, bool> predicate) =>
        new() { Predicate = predicate, ResponseWriter = UIResponseWriter.WriteHealthCheckUIResponse };
}
