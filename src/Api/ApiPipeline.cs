using FurnitureOps.Api.Audit;
using FurnitureOps.Api.Cluster;
using FurnitureOps.Api.Http;
using FurnitureOps.Api.Inventory;
using FurnitureOps.Api.Loyalty;
using FurnitureOps.Api.RatingSlips;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Scalar.AspNetCore;

namespace FurnitureOps.Api;

public static class ApiPipeline
{
    /// <summary>Middleware in order, then every endpoint the API serves.</summary>
    public static WebApplication UseFurnitureOpsApi(this WebApplication app)
    {
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseClusterAvailabilityGate(); // before authentication: signature checks need the cluster
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapOpenApi();
        app.MapScalarApiReference("/docs");
        app.MapHealthChecks("/livez", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });

        app.MapInventoryApi();
        app.MapAuditApi();
        app.MapLoyaltyApi();
        app.MapRatingSlipApi();
        return app;
    }
}
