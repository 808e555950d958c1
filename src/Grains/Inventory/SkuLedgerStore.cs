using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Ledger.Commit;
using FurnitureOps.Grains.Storage;
using Npgsql;

namespace FurnitureOps.Grains.Inventory;

/// <summary>Reads of a SKU's own tables (<see cref="SkuTables"/>): its state row and its ledger. <see cref="PostgresLedgerStore{TState,TCommand,TReply}.EntityId"/> is the SKU code.</summary>
public sealed class SkuLedgerStore(PostgresStorage storage, CommitPipeline pipeline, string tenantId, string sku)
    : PostgresLedgerStore<SkuState, SkuCommand, SkuReply>(storage, pipeline, new SkuTables(sku), tenantId, sku)
{
    public async Task<IReadOnlyList<SkuLedgerEntry>> ReadLedgerAsync(long afterVersion, int limit, CancellationToken cancellationToken) =>
        await Storage.Reads.ExecuteAsync(token => new ValueTask<IReadOnlyList<SkuLedgerEntry>>(ReadLedgerOnceAsync(afterVersion, limit, token)), cancellationToken);

    private async Task<IReadOnlyList<SkuLedgerEntry>> ReadLedgerOnceAsync(long afterVersion, int limit, CancellationToken cancellationToken)
    {
        await using var command = DataSource.Command(
            """
            SELECT version, operation, quantity, on_hand_before, on_hand_after, sold_before, sold_after,
                   reference, actor, request_id, idempotency_key, recorded_at
            FROM inventory_ledger
            WHERE tenant_id = $1 AND sku = $2 AND version > $3
            ORDER BY version
            LIMIT $4
            """,
            TenantId, EntityId, afterVersion, limit);

        var entries = new List<SkuLedgerEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new SkuLedgerEntry(
                reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.GetFieldValue<DateTimeOffset>(11)));
        }

        return entries;
    }

    protected override async Task<SkuState> LoadStateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(
            "SELECT name, on_hand, sold, version, updated_at FROM inventory_items WHERE tenant_id = $1 AND sku = $2",
            TenantId, EntityId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new SkuState(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetFieldValue<DateTimeOffset>(4))
            : SkuState.None;
    }
}
