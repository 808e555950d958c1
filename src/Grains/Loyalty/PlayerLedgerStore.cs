using System.Collections.Immutable;
using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Grains.Ledger.Commit;
using FurnitureOps.Grains.Storage;
using Npgsql;

namespace FurnitureOps.Grains.Loyalty;

/// <summary>
/// Reads of a player's own tables (<see cref="PlayerTables"/>): the state row with its business keys and held
/// points holds, the ledger, and one hold's row. EntityId is the player id.
/// </summary>
public sealed class PlayerLedgerStore(
    PostgresStorage storage, CommitPipeline pipeline, string tenantId, string playerId, TierLadder tiers, TimeZoneInfo businessDay)
    : PostgresLedgerStore<PlayerState, LoyaltyCommand, LoyaltyReply>(storage, pipeline, new PlayerTables(tenantId, playerId, tiers, businessDay), tenantId, playerId)
{
    private const string EntryColumns =
        "version, operation, points, balance_before, balance_after, tier_before, tier_after, lifetime_after, " +
        "reason, source_reference, staff_id, correlation_id, recorded_at, held_before, held_after";

    private const string HoldColumns =
        "hold_id, player_id, points, status, committed_points, reference, expires_at, created_at, resolved_at";

    /// <summary>Ledger rows after <paramref name="cursor"/> oldest first, or before it newest first (<see cref="PostgresLedgerStore{TState,TCommand,TReply}.LedgerPage"/>).</summary>
    public async Task<IReadOnlyList<LoyaltyEntry>> ReadLedgerAsync(bool newestFirst, long cursor, int limit, CancellationToken cancellationToken) =>
        await Storage.Reads.ExecuteAsync(async token =>
        {
            await using var command = DataSource.Command(
                $"SELECT {EntryColumns} FROM loyalty_ledger WHERE tenant_id = $1 AND player_id = $2 AND {LedgerPage(newestFirst)}",
                TenantId, EntityId, cursor, limit);
            return await ReadEntriesAsync(command, token);
        }, cancellationToken);

    protected override async Task<PlayerState> LoadStateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var row = connection.Command(
            "SELECT balance, lifetime_points, tier, version, updated_at, held FROM loyalty_players WHERE tenant_id = $1 AND player_id = $2",
            TenantId, EntityId);
        PlayerState state;
        await using (var reader = await row.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return PlayerState.None(tiers.TierFor(0));
            }

            state = new PlayerState(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3),
                reader.GetFieldValue<DateTimeOffset>(4), ImmutableDictionary<string, LoyaltyEntry>.Empty, reader.GetInt64(5));
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

        state = state with { ByBusinessKey = index.ToImmutable() };
        if (state.Held == 0)
        {
            return state;
        }

        var holds = ImmutableDictionary.CreateBuilder<Guid, PointsHoldView>();
        await using var held = connection.Command(
            $"SELECT {HoldColumns} FROM loyalty_holds WHERE tenant_id = $1 AND player_id = $2 AND status = 'held'", TenantId, EntityId);
        await using (var reader = await held.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var hold = ReadHold(reader);
                holds[hold.HoldId] = hold;
            }
        }

        return state with { Holds = holds.ToImmutable() };
    }

    /// <summary>One points hold's row, or null if this player never held one with that id.</summary>
    public async Task<PointsHoldView?> ReadHoldAsync(Guid holdId, CancellationToken cancellationToken) =>
        await Storage.Reads.ExecuteAsync(async token =>
        {
            await using var command = DataSource.Command(
                $"SELECT {HoldColumns} FROM loyalty_holds WHERE tenant_id = $1 AND hold_id = $2 AND player_id = $3",
                TenantId, holdId, EntityId);
            await using var reader = await command.ExecuteReaderAsync(token);
            return await reader.ReadAsync(token) ? ReadHold(reader) : null;
        }, cancellationToken);

    private static PointsHoldView ReadHold(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7),
        reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8));

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
        reader.GetString(offset + 10), reader.GetString(offset + 11), reader.GetFieldValue<DateTimeOffset>(offset + 12),
        reader.GetInt64(offset + 13), reader.GetInt64(offset + 14));
}
