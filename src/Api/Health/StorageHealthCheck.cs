using FurnitureOps.Api.Cluster;
using FurnitureOps.Grains.Interfaces.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FurnitureOps.Api.Health;

/// <summary>
/// Ready only while PostgreSQL answers. The API never talks to the database itself, so it asks a silo to probe
/// it (<see cref="IStorageHealthGrain"/>), bounded in time. The probe is also what reopens a gateway connection
/// after the last one dropped, so it runs whenever the client has started, connected or not.
/// </summary>
public sealed class StorageHealthCheck(IClusterClient cluster, ClusterConnection connection) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!connection.IsStarted)
        {
            return HealthCheckResult.Unhealthy("No silo to probe PostgreSQL through.");
        }

        try
        {
            var failure = await cluster.GetGrain<IStorageHealthGrain>(0).FailureAsync().WaitAsync(Timeout, cancellationToken);
            return failure is null ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(failure);
        }
        catch (Exception error) when (error is TimeoutException or OrleansException)
        {
            return HealthCheckResult.Unhealthy("The PostgreSQL probe did not answer in time.", error);
        }
    }
}
