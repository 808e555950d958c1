using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Npgsql;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace FurnitureOps.Grains.Storage;

/// <summary>Bounds on every PostgreSQL call the grains make (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>Longest a single database call may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of a failed read (never of a commit: an ambiguous commit retires the activation instead).</summary>
    [Range(0, 10)]
    public int ReadRetries { get; set; } = 2;

    /// <summary>First retry delay; later ones grow exponentially, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Share of failed calls within the sampling window that opens the breaker.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls needed in the window before the breaker may open.</summary>
    [Range(2, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 10;

    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open breaker answers "unavailable" at once before letting a trial call through.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a starting silo waits for PostgreSQL to answer (retrying with backoff) before it gives up and
    /// exits with code 3 (the silo's StartupExitCodes.DatabaseUnreachable).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// The grains' way to PostgreSQL: the data source plus resilience. Every call is bounded by a timeout and goes
/// through one circuit breaker per silo (while it is open, calls fail at once and callers get the retryable
/// 503 <c>storage_unavailable</c>); reads are also retried with jittered backoff. Only infrastructure faults
/// count as failures — a constraint violation or a version conflict is an answer, not an outage.
/// </summary>
/// <remarks>
/// With a connection limit (the budget's <see cref="ConnectionBudget.Grains"/>), calls beyond it queue before the
/// breaker and the timeout: a call waiting for a connection is not failing, and the data source's pool (the same
/// size) never makes a call that got through wait.
/// </remarks>
public sealed class PostgresStorage
{
    public PostgresStorage(NpgsqlDataSource dataSource, StorageOptions options, int? connectionLimit = null)
    {
        DataSource = dataSource;
        var shouldHandle = new PredicateBuilder().Handle<Exception>(IsInfrastructureFailure);
        Guarded = new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = shouldHandle,
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakDuration,
                StateProvider = Breaker,
            })
            .AddTimeout(options.CommandTimeout)
            .Build();
        Writes = connectionLimit is { } limit
            ? new ResiliencePipelineBuilder()
                .AddRateLimiter(new ConcurrencyLimiter(new ConcurrencyLimiterOptions
                {
                    PermitLimit = limit,
                    QueueLimit = int.MaxValue,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }))
                .AddPipeline(Guarded)
                .Build()
            : Guarded;
        Reads = options.ReadRetries == 0
            ? Writes
            : new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<Exception>(error => error is not BrokenCircuitException && IsInfrastructureFailure(error)),
                    MaxRetryAttempts = options.ReadRetries,
                    Delay = options.RetryDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                })
                .AddPipeline(Writes)
                .Build();
    }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// Breaker and timeout only, for work on a connection the caller already owns (the commit pipeline's
    /// lanes): it takes no connection from <see cref="DataSource"/>, so it does not queue for one.
    /// </summary>
    public ResiliencePipeline Guarded { get; }

    /// <summary>For single-shot writes on <see cref="DataSource"/>: a connection, then breaker and timeout, no retry.</summary>
    public ResiliencePipeline Writes { get; }

    /// <summary>For reads and idempotent inserts on <see cref="DataSource"/>: retries, then as <see cref="Writes"/>.</summary>
    public ResiliencePipeline Reads { get; }

    /// <summary>The breaker's state, for readiness.</summary>
    public CircuitBreakerStateProvider Breaker { get; } = new();

    // Connection failures (class 08), shutdowns (57P), exhausted resources (53), timeouts and I/O errors.
    private static bool IsInfrastructureFailure(Exception error) => error switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) ||
            postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) || postgres.SqlState.StartsWith("53", StringComparison.Ordinal),
        NpgsqlException or TimeoutException or TimeoutRejectedException => true,
        _ => false,
    };
}
