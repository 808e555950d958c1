using System.Collections.Immutable;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Ledger.Commit;
using FurnitureOps.Grains.Storage;
using Npgsql;

namespace FurnitureOps.Grains.Inventory;

/// <summary>Reads of a SKU's own tables (<see cref="SkuTables"/>): its state row and its ledger. <see cref="PostgresLedgerStore{TState,TCommand,TReply}.EntityId"/> is the SKU code.</summary>
public sealed class SkuLedgerStore(PostgresStorage storage, CommitPipeline pipeline, string tenantId, string sku)
    : PostgresLedgerStore<SkuState, SkuCommand, SkuReply>(storage, pipeline, new SkuTables(tenantId, sku), tenantId, sku)
{
    /// <summary>Ledger rows after <paramref name="cursor"/> oldest first, or before it newest first (<see cref="PostgresLedgerStore{TState,TCommand,TReply}.LedgerPage"/>).</summary>
    public async Task<IReadOnlyList<SkuLedgerEntry>> ReadLedgerAsync(bool newestFirst, long cursor, int limit, CancellationToken cancellationToken) =>
        await Storage.Reads.ExecuteAsync(token => new ValueTask<IReadOnlyList<SkuLedgerEntry>>(ReadLedgerOnceAsync(newestFirst, cursor, limit, token)), cancellationToken);

    private async Task<IReadOnlyList<SkuLedgerEntry>> ReadLedgerOnceAsync(bool newestFirst, long cursor, int limit, CancellationToken cancellationToken)
    {
        await using var command = DataSource.Command(
            $"""
            SELECT version, operation, quantity, on_hand_before, on_hand_after, sold_before, sold_after,
                   reference, actor, request_id, idempotency_key, recorded_at, reserved_before, reserved_after
            FROM inventory_ledger
            WHERE tenant_id = $1 AND sku = $2 AND {LedgerPage(newestFirst)}
            """,
            TenantId, EntityId, cursor, limit);

        var entries = new List<SkuLedgerEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new SkuLedgerEntry(
                reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.GetFieldValue<DateTimeOffset>(11),
                reader.GetInt64(12), reader.GetInt64(13)));
        }

        return entries;
    }

    /// <summary>One reservation's row, or null if this SKU never held one with that id.</summary>
    public async Task<ReservationView?> ReadReservationAsync(Guid reservationId, CancellationToken cancellationToken) =>
        await Storage.Reads.ExecuteAsync(async token =>
        {
            await using var command = DataSource.Command(
                $"SELECT {ReservationColumns} FROM inventory_reservations WHERE tenant_id = $1 AND reservation_id = $2 AND sku = $3",
                TenantId, reservationId, EntityId);
            await using var reader = await command.ExecuteReaderAsync(token);
            return await reader.ReadAsync(token) ? ReadReservation(reader) : null;
        }, cancellationToken);

    protected override async Task<SkuState> LoadStateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        SkuState state;
        await using (var command = connection.Command(
            "SELECT name, on_hand, sold, version, updated_at, reserved FROM inventory_items WHERE tenant_id = $1 AND sku = $2",
            TenantId, EntityId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return SkuState.None;
            }

            state = new SkuState(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt64(5));
        }

        if (state.Reserved == 0)
        {
            return state;
        }

        var held = ImmutableDictionary.CreateBuilder<Guid, ReservationView>();
        await using (var command = connection.Command(
            $"SELECT {ReservationColumns} FROM inventory_reservations WHERE tenant_id = $1 AND sku = $2 AND status = 'held'",
            TenantId, EntityId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var reservation = ReadReservation(reader);
                held[reservation.ReservationId] = reservation;
            }
        }

        return state with { Held = held.ToImmutable() };
    }

    private const string ReservationColumns =
        "reservation_id, sku, quantity, status, committed_quantity, reference, expires_at, created_at, resolved_at";

    private static ReservationView ReadReservation(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
        reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.GetFieldValue<DateTimeOffset>(6), reader.GetFieldValue<DateTimeOffset>(7),
        reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8));
}
