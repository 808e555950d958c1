namespace FurnitureOps.Grains.Interfaces.Ledger;

/// <summary>
/// The command was not applied because its transaction did not commit (database unreachable, or another
/// writer was detected). Nothing was written; resending the same command with the same key is safe.
/// </summary>
[GenerateSerializer, Alias("fo.storage-unavailable")]
public sealed class StorageUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public StorageUnavailableException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public StorageUnavailableException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the failure that caused it.</summary>
    public StorageUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
