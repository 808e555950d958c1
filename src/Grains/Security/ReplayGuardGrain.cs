using FurnitureOps.Grains.Interfaces.Security;
using FurnitureOps.Grains.Storage;
using Orleans.Concurrency;

namespace FurnitureOps.Grains.Security;

/// <summary>Records first uses in <c>used_signatures</c>; the primary key makes the second use lose, on any silo.</summary>
[StatelessWorker]
public sealed class ReplayGuardGrain(PostgresStorage storage) : Grain, IReplayGuardGrain
{
    // Single-shot (no retry): a retried insert whose first attempt did land would misreport a first use as a replay.
    public async Task<bool> TryFirstUseAsync(byte[] signatureSha256, string keyId, DateTimeOffset expiresAt) =>
        await storage.Writes.ExecuteAsync(async token => await InsertAsync(signatureSha256, keyId, expiresAt, token), CancellationToken.None);

    private async Task<bool> InsertAsync(byte[] signatureSha256, string keyId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        await using var command = storage.DataSource.CreateCommand(
            """
            INSERT INTO used_signatures (signature_sha256, key_id, expires_at) VALUES ($1, $2, $3)
            ON CONFLICT (signature_sha256) DO NOTHING
            """);
        command.Parameters.Add(new() { Value = signatureSha256 });
        command.Parameters.Add(new() { Value = keyId });
        command.Parameters.Add(new() { Value = expiresAt });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }
}
