using System.Data.Common;
using FurnitureOps.Grains.Interfaces.Ledger;

namespace FurnitureOps.Grains.Storage;

/// <summary>What counts as "the database failed", and the retryable exception callers get instead.</summary>
internal static class StorageFailures
{
    public static bool IsStorageFailure(Exception error) => error is DbException or TimeoutException;

    public static StorageUnavailableException Retryable() => new("The database did not answer; retry shortly.");
}
