using FurnitureOps.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace FurnitureOps.Grains;

/// <summary>
/// Puts the caller's request id (from Orleans' RequestContext), the grain and, for tenant-owned grains, the
/// tenant into the logging scope of every grain call, so each silo log line names what it was serving.
/// </summary>
public sealed class RequestIdLogScopeFilter(ILogger<RequestIdLogScopeFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var scope = new Dictionary<string, object> { ["GrainId"] = context.TargetId.ToString() };
        if (RequestContext.Get(RequestContextKeys.RequestId) is string requestId)
        {
            scope["RequestId"] = requestId;
        }

        if (context.TargetId.Key.ToString() is { } key && key.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash)
        {
            scope["Tenant"] = key[..slash];
        }

        using (logger.BeginScope(scope))
        {
            await context.Invoke();
        }
    }
}
