using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace FurnitureOps.Silo.Health;

/// <summary>Healthy when every migration this build carries is recorded as applied in <c>schema_versions</c>.</summary>
public sealed class MigrationsHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var applied = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = dataSource.CreateCommand("SELECT scriptname FROM schema_versions"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }
        }

        var missing = MigrateCommand.Scripts().Where(script => !applied.Contains(script)).ToList();
        return missing.Count == 0
            ? HealthCheckResult.Healthy($"{applied.Count} migrations applied.")
            : HealthCheckResult.Unhealthy($"Not applied yet: {string.Join(", ", missing)}. Run the migrate command.");
    }
}
