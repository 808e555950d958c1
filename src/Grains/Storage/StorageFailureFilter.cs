using Microsoft.Extensions.Logging;

namespace FurnitureOps.Grains.Storage;

/// <summary>
/// Turns database failures on grain calls (ledger and audit reads; activation has its own, see
/// <see cref="Ledger.LedgerWritePath{TState,TCommand,TReply}.LoadAsync"/>) into the retryable
/// <see cref="FurnitureOps.Grains.Interfaces.Ledger.StorageUnavailableException"/>. The original stays in this silo's log: driver exceptions do not
/// cross the wire, and callers only need to know the call can be retried.
/// </summary>
public sealed partial class StorageFailureFilter(ILogger<StorageFailureFilter> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception error) when (StorageFailures.IsStorageFailure(error))
        {
            LogStorageFailure(logger, error, context.InterfaceName, context.MethodName);
            throw StorageFailures.Retryable();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storage failed during {Interface}.{Method}")]
    private static partial void LogStorageFailure(ILogger logger, Exception error, string @interface, string method);
}
