using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FurnitureOps.ServiceDefaults;

/// <summary>Shutdown settings (configuration section <c>Shutdown</c>).</summary>
public sealed class ShutdownOptions
{
    /// <summary>How long in-flight requests (and, on a silo, grain deactivation) may take after SIGTERM.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Time between readiness turning 503 and the server stopping, so load balancers stop routing first
    /// (a few seconds in Kubernetes; 0 locally).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan ReadinessDelay { get; set; } = TimeSpan.Zero;
}

/// <summary>Counts the HTTP requests this process is serving right now.</summary>
public sealed class InFlightRequests
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public async Task TrackAsync(HttpContext context, RequestDelegate next)
    {
        Interlocked.Increment(ref _count);
        try
        {
            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref _count);
        }
    }
}

/// <summary>
/// SIGTERM, in order: readiness answers 503 (ApplicationStopping), an optional delay lets load balancers notice,
/// then the host stops its services — Kestrel drains in-flight requests, a silo leaves the cluster and
/// deactivates its grains so pending flushes commit — all bounded by <see cref="ShutdownOptions.DrainTimeout"/>.
/// The last log line says whether that completed cleanly or hit the timeout, and how many requests were left.
/// </summary>
public sealed partial class GracefulShutdown(IOptions<ShutdownOptions> options, InFlightRequests inFlight, ILogger<GracefulShutdown> logger)
    : IHostedLifecycleService
{
    private long _stoppingSince;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stoppingSince = Stopwatch.GetTimestamp();
        LogStopping(logger, inFlight.Count, options.Value.DrainTimeout.TotalSeconds);
        if (options.Value.ReadinessDelay > TimeSpan.Zero)
        {
            await Task.Delay(options.Value.ReadinessDelay, cancellationToken);
        }
    }

    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        var elapsed = Stopwatch.GetElapsedTime(_stoppingSince);
        if (cancellationToken.IsCancellationRequested || inFlight.Count > 0)
        {
            LogTimedOut(logger, elapsed.TotalSeconds, inFlight.Count);
        }
        else
        {
            LogClean(logger, elapsed.TotalSeconds);
        }

        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutdown started: not ready any more; draining {InFlight} in-flight requests for up to {TimeoutSeconds} s")]
    private static partial void LogStopping(ILogger logger, int inFlight, double timeoutSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Shutdown completed cleanly in {Seconds:0.0} s; 0 requests in flight")]
    private static partial void LogClean(ILogger logger, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown hit the drain timeout after {Seconds:0.0} s with {InFlight} requests still in flight")]
    private static partial void LogTimedOut(ILogger logger, double seconds, int inFlight);
}

public static class GracefulShutdownExtensions
{
    public static WebApplicationBuilder AddGracefulShutdown(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ShutdownOptions>().BindConfiguration("Shutdown").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = shutdown.Value.DrainTimeout + shutdown.Value.ReadinessDelay);
        builder.Services.AddSingleton<InFlightRequests>();
        builder.Services.AddHostedService<GracefulShutdown>();
        return builder;
    }

    /// <summary>Counts in-flight requests for the shutdown report; first in the pipeline so it sees all of them.</summary>
    public static IApplicationBuilder UseInFlightTracking(this IApplicationBuilder app)
    {
        var inFlight = app.ApplicationServices.GetRequiredService<InFlightRequests>();
        return app.Use(inFlight.TrackAsync);
    }
}
