using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace FurnitureOps.Silo;

/// <summary>Ready only while PostgreSQL answers a trivial query within two seconds.</summary>
public sealed class PostgresHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception error) when (error is NpgsqlException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL did not answer.", error);
        }
    }
}
