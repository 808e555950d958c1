namespace FurnitureOps.Api.Cluster;

/// <summary>
/// Keeps trying to reach the cluster for as long as the API runs, so the API can start (and answer 503
/// <c>cluster_unavailable</c>) before any silo is up.
/// </summary>
public sealed partial class RetryForeverConnectionFilter(ILogger<RetryForeverConnectionFilter> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(2);

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        LogRetrying(logger, exception.Message, Delay.TotalSeconds);
        await Task.Delay(Delay, cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster not reachable ({Reason}); retrying in {Seconds} s")]
    private static partial void LogRetrying(ILogger logger, string reason, double seconds);
}
