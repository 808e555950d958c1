namespace FurnitureOps.Grains.Interfaces.Security;

/// <summary>
/// Remembers which request signatures were used, cluster-wide and across restarts (PostgreSQL), so a signed
/// request cannot be replayed within its validity window. A stateless worker: any silo answers.
/// </summary>
[Alias("fo.IReplayGuardGrain")]
public interface IReplayGuardGrain : IGrainWithIntegerKey
{
    /// <summary>True the first time a signature is presented; false for every later use before it expires.</summary>
    /// <param name="signatureSha256">SHA-256 of the signature bytes.</param>
    /// <param name="keyId">The signing key's id, kept for diagnosis.</param>
    /// <param name="expiresAt">When the signature's timestamp leaves the allowed window; it can be forgotten after.</param>
    [Alias("TryFirstUseAsync")]
    Task<bool> TryFirstUseAsync(byte[] signatureSha256, string keyId, DateTimeOffset expiresAt);
}
