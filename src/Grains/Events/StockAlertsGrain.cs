using FurnitureOps.Grains.Interfaces.Events;
using FurnitureOps.Grains.Storage;
using Orleans.Concurrency;

namespace FurnitureOps.Grains.Events;

/// <summary>Reorder points (written here) and the low-stock projection (written by the silo's consumer), per tenant.</summary>
[StatelessWorker]
public sealed class StockAlertsGrain(PostgresStorage storage, GrainClock clock) : Grain, IStockAlertsGrain
{
    private const string Select =
        """
        SELECT r.sku, r.reorder_point, s.on_hand, coalesce(s.on_hand <= r.reorder_point, false),
               (SELECT max(a.raised_at) FROM low_stock_alerts a WHERE a.tenant_id = r.tenant_id AND a.sku = r.sku)
        FROM reorder_points r
        LEFT JOIN stock_levels s ON s.tenant_id = r.tenant_id AND s.sku = r.sku
        """;

    // Idempotent (an upsert of the same value), so the read pipeline's retries are safe.
    public async Task<StockAlertStatus> SetReorderPointAsync(string tenantId, string sku, long reorderPoint, string actor) =>
        await storage.Reads.ExecuteAsync(async token =>
        {
            await using (var upsert = storage.DataSource.Command(
                """
                INSERT INTO reorder_points (tenant_id, sku, reorder_point, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (tenant_id, sku) DO UPDATE SET reorder_point = $3, updated_by = $4, updated_at = $5
                """, tenantId, sku, reorderPoint, actor, clock.Time.GetUtcNow()))
            {
                await upsert.ExecuteNonQueryAsync(token);
            }

            return (await QueryAsync($"{Select} WHERE r.tenant_id = $1 AND r.sku = $2", token, tenantId, sku))[0];
        }, CancellationToken.None);

    public async Task<IReadOnlyList<StockAlertStatus>> ListAsync(string tenantId, bool lowOnly) =>
        await storage.Reads.ExecuteAsync(async token => await QueryAsync(
            $"{Select} WHERE r.tenant_id = $1 {(lowOnly ? "AND s.on_hand <= r.reorder_point" : "")} ORDER BY s.on_hand NULLS LAST, r.sku LIMIT 1000",
            token, tenantId), CancellationToken.None);

    private async Task<IReadOnlyList<StockAlertStatus>> QueryAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = storage.DataSource.Command(sql, values);
        var statuses = new List<StockAlertStatus>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            statuses.Add(new StockAlertStatus(reader.GetString(0), reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetInt64(2),
                reader.GetBoolean(3), reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return statuses;
    }
}
