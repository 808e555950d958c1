using FurnitureOps.Grains.Storage;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.Retry;

namespace FurnitureOps.Silo;

/// <summary>
/// Waits, before the silo starts, until PostgreSQL answers: Orleans' providers read their tables while the silo
/// starts and would otherwise abort the process on the first refused connection (a database still starting,
/// or restarting with the silo). Retries with jittered exponential backoff, logging each failure, for at most
/// <see cref="StorageOptions.StartupTimeout"/>.
/// </summary>
public static partial class StartupDatabase
{
    public static async Task<bool> WaitAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var timeout = services.GetRequiredService<IOptions<StorageOptions>>().Value.StartupTimeout;
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupDatabase));
        await using var dataSource = NpgsqlDataSource.Create(
            services.GetRequiredService<PostgresConnections>().ConnectionString(PostgresConnections.Orleans));
        var attempts = 0;
        var pipeline = new ResiliencePipelineBuilder()
            .AddTimeout(timeout)
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>().Handle<TimeoutException>(),
                MaxRetryAttempts = int.MaxValue,
                Delay = TimeSpan.FromMilliseconds(250),
                MaxDelay = TimeSpan.FromSeconds(10),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                OnRetry = retry =>
                {
                    LogNotYet(logger, ++attempts, retry.RetryDelay.TotalSeconds, retry.Outcome.Exception?.Message);
                    return default;
                },
            })
            .Build();
        try
        {
            await pipeline.ExecuteAsync(async token =>
            {
                await using var command = dataSource.CreateCommand("SELECT 1");
                await command.ExecuteScalarAsync(token);
            }, cancellationToken);
            return true;
        }
        catch (Polly.Timeout.TimeoutRejectedException)
        {
            LogGaveUp(logger, timeout.TotalSeconds, StartupExitCodes.DatabaseUnreachable);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL is not reachable yet (attempt {Attempt}); retrying in {DelaySeconds:0.0} s: {Error}")]
    private static partial void LogNotYet(ILogger logger, int attempt, double delaySeconds, string? error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "PostgreSQL did not answer within {TimeoutSeconds} s (Storage:StartupTimeout); the silo exits with code {ExitCode}")]
    private static partial void LogGaveUp(ILogger logger, double timeoutSeconds, int exitCode);
}
