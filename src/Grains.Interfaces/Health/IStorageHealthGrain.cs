namespace FurnitureOps.Grains.Interfaces.Health;

/// <summary>Lets API instances ask a silo whether PostgreSQL answers, without talking to the database themselves.</summary>
[Alias("fo.IStorageHealthGrain")]
public interface IStorageHealthGrain : IGrainWithIntegerKey
{
    /// <summary>Null when PostgreSQL answered a probe in time, otherwise why not.</summary>
    [Alias("FailureAsync")]
    Task<string?> FailureAsync();
}
