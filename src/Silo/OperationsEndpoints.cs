using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace FurnitureOps.Silo;

/// <summary>The silo's small HTTP surface for operators: health now; metrics and the dashboard join it later.</summary>
public static class OperationsEndpoints
{
    public static WebApplication MapOperationsEndpoints(this WebApplication app)
    {
        app.MapGet("/", () => TypedResults.Ok(new { service = "furnitureops-silo", health = "/health/ready", liveness = "/livez" }));
        app.MapHealthChecks("/livez", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }
}
