using FurnitureOps.Grains.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Polly.CircuitBreaker;

namespace FurnitureOps.Silo.Health;

/// <summary>Not ready while the storage circuit breaker is open: calls to PostgreSQL are failing fast.</summary>
public sealed class StorageCircuitHealthCheck(PostgresStorage storage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(storage.Breaker.CircuitState switch
        {
            CircuitState.Open or CircuitState.Isolated => HealthCheckResult.Unhealthy(
                "The storage circuit is open: PostgreSQL calls fail fast with 503 storage_unavailable until a trial call succeeds."),
            CircuitState.HalfOpen => HealthCheckResult.Degraded("The storage circuit is letting a trial call through."),
            _ => HealthCheckResult.Healthy(),
        });
}
