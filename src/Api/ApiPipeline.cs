using FurnitureOps.Api.Audit;
using FurnitureOps.Api.Auth;
using FurnitureOps.Api.OperatorConsole;
using FurnitureOps.Api.Cluster;
using FurnitureOps.Api.Events;
using FurnitureOps.Api.Health;
using FurnitureOps.Api.Holds;
using FurnitureOps.Api.Http;
using FurnitureOps.Api.Inventory;
using FurnitureOps.Api.Loyalty;
using FurnitureOps.Api.Pos;
using FurnitureOps.Api.RateLimiting;
using FurnitureOps.Api.RatingSlips;
using FurnitureOps.ServiceDefaults;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace FurnitureOps.Api;

public static class ApiPipeline
{
    /// <summary>Middleware in order, then every endpoint the API serves.</summary>
    public static WebApplication UseFurnitureOpsApi(this WebApplication app)
    {
        app.UseInFlightTracking();
        // Empty KnownProxies and KnownIPNetworks would mean "trust every proxy" to the middleware, so without
        // configured trusted proxies or networks it is left out entirely and X-Forwarded-For is ignored.
        var limits = app.Services.GetRequiredService<IOptions<RateLimitOptions>>().Value;
        if (limits.TrustedProxies.Count > 0 || limits.TrustedNetworks.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseMiddleware<RequestIdMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseOperatorConsole(); // before the cluster gate: the page loads (and says what is wrong) while the cluster is down
        app.UseRateLimitHeaders();
        app.UseClusterAvailabilityGate(); // before authentication: signature checks and budgets need the cluster
        app.UseAuthentication();
        app.UseRateLimiter(); // after authentication (budget by caller), before authorization (401s are counted too)
        app.UseAuthorization();

        app.MapPrometheusScrapingEndpoint("/metrics").DisableRateLimiting();
        app.MapOpenApi().DisableRateLimiting();
        app.MapScalarApiReference("/docs").DisableRateLimiting();
        app.MapHealthEndpoints();

        app.MapCallerApi();
        app.MapInventoryApi();
        app.MapReservationsApi();
        app.MapHoldsApi();
        app.MapAuditApi();
        app.MapLoyaltyApi();
        app.MapPointsHoldsApi();
        app.MapRatingSlipApi();
        app.MapPosApi();
        app.MapEventsApi();
        return app;
    }
}
