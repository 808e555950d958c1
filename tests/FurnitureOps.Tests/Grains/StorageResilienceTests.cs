using FurnitureOps.Grains.Storage;
using FurnitureOps.Silo.Health;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using Polly.CircuitBreaker;

namespace FurnitureOps.Tests.Grains;

/// <summary>The storage pipelines against a PostgreSQL that refuses connections (nothing listens on the port).</summary>
public sealed class StorageResilienceTests : IAsyncDisposable
{
    private readonly NpgsqlDataSource _unreachable =
        NpgsqlDataSource.Create($"Host=127.0.0.1;Port={Ports.Free()};Username=nobody;Timeout=2");

    private readonly StorageOptions _options = new()
    {
        ReadRetries = 2,
        RetryDelay = TimeSpan.FromMilliseconds(1),
        BreakerMinimumThroughput = 3,
        BreakDuration = TimeSpan.FromMinutes(1),
    };

    [Fact]
    public async Task ReadsAreRetriedThenTheBreakerOpensAndFailsFast()
    {
        var storage = new PostgresStorage(_unreachable, _options);
        var attempts = 0;

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ReadAsync(storage, () => attempts++));
        Assert.Equal(1 + _options.ReadRetries, attempts);

        var breaker = await Assert.ThrowsAsync<BrokenCircuitException>(() => ReadAsync(storage, () => attempts++));
        Assert.NotNull(breaker);
        Assert.Equal(CircuitState.Open, storage.Breaker.CircuitState);
        Assert.Equal(3, attempts);
        Assert.True(StorageFailures.IsStorageFailure(breaker));
    }

    [Fact]
    public async Task AnOpenBreakerMakesTheSiloNotReady()
    {
        var storage = new PostgresStorage(_unreachable, _options);
        var check = new StorageCircuitHealthCheck(storage);
        var before = await check.CheckHealthAsync(new HealthCheckContext());

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => ReadAsync(storage, () => { }));
        var after = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Healthy, before.Status);
        Assert.Equal(HealthStatus.Unhealthy, after.Status);
    }

    [Fact]
    public async Task CommitsAreNeverRetried()
    {
        var storage = new PostgresStorage(_unreachable, _options);
        var attempts = 0;

        await Assert.ThrowsAnyAsync<NpgsqlException>(async () => await storage.Writes.ExecuteAsync(async token =>
        {
            attempts++;
            await using var connection = await _unreachable.OpenConnectionAsync(token);
        }));

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task ConstraintViolationsDoNotCountAsOutages()
    {
        var storage = new PostgresStorage(_unreachable, _options);

        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<PostgresException>(async () => await storage.Reads.ExecuteAsync<int>(
                _ => throw new PostgresException("duplicate key", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation)));
        }

        Assert.Equal(CircuitState.Closed, storage.Breaker.CircuitState);
    }

    public async ValueTask DisposeAsync() => await _unreachable.DisposeAsync();

    private Task ReadAsync(PostgresStorage storage, Action onAttempt) => storage.Reads.ExecuteAsync(async token =>
    {
        onAttempt();
        await using var connection = await _unreachable.OpenConnectionAsync(token);
    }).AsTask();
}
