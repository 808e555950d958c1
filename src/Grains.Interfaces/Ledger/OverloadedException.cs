namespace FurnitureOps.Grains.Interfaces.Ledger;

/// <summary>
/// The command was refused before queueing because the entity already has as many commands waiting as it may
/// (<c>Ledger:MaxQueueLength</c>). Nothing was written; retrying later is safe.
/// </summary>
[GenerateSerializer, Alias("fo.overloaded")]
public sealed class OverloadedException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public OverloadedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public OverloadedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public OverloadedException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
