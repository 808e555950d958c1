using System.Collections.Immutable;
using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Grains.Ledger.Commit;
using FurnitureOps.Grains.Storage;
using Npgsql;

namespace FurnitureOps.Grains.Loyalty;

/// <summary>Reads of a player's own tables (<see cref="PlayerTables"/>): the state row with its business keys, and the ledger. EntityId is the player id.</summary>
public sealed class PlayerLedgerStore(
    PostgresStorage storage, CommitPipeline pipeline, string tenantId, string playerId, TierLadder tiers, TimeZoneInfo businessDay)
    : PostgresLedgerStore<PlayerState, LoyaltyCommand, LoyaltyReply>(storage, pipeline, new PlayerTables(playerId, tiers, businessDay), tenantId, playerId)
{
    private const string EntryColumns =
        "version, operation, points, balance_before, balance_after, tier_before, tier_after, lifetime_after, " +
        "reason, source_reference, staff_id, correlation_id, recorded_at";

    public async Task<IReadOnlyList<LoyaltyEntry>> ReadLedgerAsync(long afterVersion, int limit, CancellationToken cancellationToken) =>
        await Storage.Reads.ExecuteAsync(token => new ValueTask<IReadOnlyList<LoyaltyEntry>>(ReadLedgerOnceAsync(afterVersion, limit, token)), cancellationToken);

    private async Task<IReadOnlyList<LoyaltyEntry>> ReadLedgerOnceAsync(long afterVersion, int limit, CancellationToken cancellationToken)
    {
        await using var command = DataSource.Command(
            $"SELECT {EntryColumns} FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2 AND version > $3 ORDER BY version LIMIT $4",
            TenantId, EntityId, afterVersion, limit);
        return await ReadEntriesAsync(command, cancellationToken);
    }

    protected override async Task<PlayerState> LoadStateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var row = connection.Command(
            "SELECT balance, lifetime_points, tier, version, updated_at FROM loyalty_players WHERE tenant_id = $1 AND player_id = $2",
            TenantId, EntityId);
        PlayerState state;
        await using (var reader = await row.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return PlayerState.None(tiers.TierFor(0));
            }

            state = new PlayerState(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3),
                reader.GetFieldValue<DateTimeOffset>(4), ImmutableDictionary<string, LoyaltyEntry>.Empty);
        }

        // Business keys are never forgotten: a source accrues once however late its retry arrives.
        await using var keyed = connection.Command(
            $"SELECT business_key, {EntryColumns} FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2 AND business_key IS NOT NULL",
            TenantId, EntityId);
        var index = ImmutableDictionary.CreateBuilder<string, LoyaltyEntry>(StringComparer.Ordinal);
        await using (var reader = await keyed.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                index[reader.GetString(0)] = ReadEntry(reader, offset: 1);
            }
        }

        return state with { ByBusinessKey = index.ToImmutable() };
    }

    private static async Task<IReadOnlyList<LoyaltyEntry>> ReadEntriesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<LoyaltyEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ReadEntry(reader, offset: 0));
        }

        return entries;
    }

    private static LoyaltyEntry ReadEntry(NpgsqlDataReader reader, int offset) => new(
        reader.GetInt64(offset), reader.GetString(offset + 1), reader.GetInt64(offset + 2), reader.GetInt64(offset + 3),
        reader.GetInt64(offset + 4), reader.GetString(offset + 5), reader.GetString(offset + 6), reader.GetInt64(offset + 7),
        reader.IsDBNull(offset + 8) ? null : reader.GetString(offset + 8),
        reader.IsDBNull(offset + 9) ? null : reader.GetString(offset + 9),
        reader.GetString(offset + 10), reader.GetString(offset + 11), reader.GetFieldValue<DateTimeOffset>(offset + 12));
}
