using FurnitureOps.Grains.Interfaces;
using Microsoft.Extensions.Logging;

namespace FurnitureOps.Grains;

/// <summary>
/// Puts the caller's request id (from Orleans' RequestContext) into the logging scope of every grain call,
/// so each silo log line written while serving a request names that request.
/// </summary>
public sealed class RequestIdLogScopeFilter(ILogger<RequestIdLogScopeFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (RequestContext.Get(RequestContextKeys.RequestId) is not string requestId)
        {
            await context.Invoke();
            return;
        }

        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = requestId }))
        {
            await context.Invoke();
        }
    }
}
