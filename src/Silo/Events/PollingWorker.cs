using Microsoft.Extensions.Options;
using Npgsql;

namespace FurnitureOps.Silo.Events;

/// <summary>
/// The loop shared by the relay, the dispatcher and the sagas' sweeper: run a round, then go again at once
/// after a full batch, wait <see cref="IdleWait"/> (<c>Events:PollInterval</c> unless overridden) after a
/// partial one, and back off (growing, with jitter) after a database failure. Off when <see cref="Enabled"/>
/// is false (<c>Events:RelayEnabled</c> unless overridden).
/// </summary>
public abstract partial class PollingWorker(IOptions<EventDeliveryOptions> options, ILogger logger) : BackgroundService
{
    protected EventDeliveryOptions Options => options.Value;

    protected ILogger Logger => logger;

    protected virtual bool Enabled => options.Value.RelayEnabled;

    protected virtual TimeSpan IdleWait => options.Value.PollInterval;

    /// <summary>One round of work; true when it was a full batch (more is probably waiting).</summary>
    protected abstract Task<bool> RoundAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var full = await RoundAsync(stoppingToken);
                failures = 0;
                wait = full ? TimeSpan.Zero : IdleWait;
            }
            catch (Exception error) when (error is NpgsqlException or TimeoutException)
            {
                failures++;
                wait = options.Value.BackoffAfter(failures);
                LogRoundFailed(logger, error, GetType().Name, wait);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // a claimed delivery not finished becomes due again when its lease ends
            }

            try
            {
                await Task.Delay(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Worker} failed a round; retrying in {Wait}")]
    private static partial void LogRoundFailed(ILogger logger, Exception error, string worker, TimeSpan wait);
}
