using FurnitureOps.Grains.Interfaces.Security;
using Npgsql;
using Orleans.Concurrency;

namespace FurnitureOps.Grains.Security;

/// <summary>Records first uses in <c>used_signatures</c>; the primary key makes the second use lose, on any silo.</summary>
[StatelessWorker]
public sealed class ReplayGuardGrain(NpgsqlDataSource dataSource) : Grain, IReplayGuardGrain
{
    public async Task<bool> TryFirstUseAsync(byte[] signatureSha256, string keyId, DateTimeOffset expiresAt)
    {
        await using var command = dataSource.CreateCommand(
            """
            INSERT INTO used_signatures (signature_sha256, key_id, expires_at) VALUES ($1, $2, $3)
            ON CONFLICT (signature_sha256) DO NOTHING
            """);
        command.Parameters.Add(new() { Value = signatureSha256 });
        command.Parameters.Add(new() { Value = keyId });
        command.Parameters.Add(new() { Value = expiresAt });
        return await command.ExecuteNonQueryAsync() == 1;
    }
}
