using FurnitureOps.Api.Cluster;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FurnitureOps.Api.Health;

/// <summary>Ready only while the Orleans client is connected to at least one gateway.</summary>
public sealed class ClusterHealthCheck(ClusterConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(connection.IsConnected
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("No silo gateway is connected."));
}
