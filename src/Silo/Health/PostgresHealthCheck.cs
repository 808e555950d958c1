using FurnitureOps.Grains.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FurnitureOps.Silo.Health;

/// <summary>Ready only while PostgreSQL answers a trivial query within <see cref="PostgresProbe.DefaultTimeout"/>.</summary>
public sealed class PostgresHealthCheck(PostgresProbe probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await probe.FailureAsync(PostgresProbe.DefaultTimeout, cancellationToken) is { } failure
            ? HealthCheckResult.Unhealthy(failure)
            : HealthCheckResult.Healthy();
}
