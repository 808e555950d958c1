using System.Data.Common;
using FurnitureOps.Grains.Interfaces.Ledger;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace FurnitureOps.Grains.Storage;

/// <summary>What counts as "the database failed", and the retryable exception callers get instead.</summary>
public static class StorageFailures
{
    public static bool IsStorageFailure(Exception error) =>
        error is DbException or TimeoutException or TimeoutRejectedException or BrokenCircuitException;

    public static StorageUnavailableException Retryable() => new("The database did not answer; retry shortly.");
}
