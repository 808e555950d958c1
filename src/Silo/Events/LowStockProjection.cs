using System.Text.Json;
using Npgsql;

namespace FurnitureOps.Silo.Events;

/// <summary>
/// Keeps the last stock level of every SKU from its <c>inventory.*</c> events and raises a low-stock alert
/// for each event that takes a SKU from above its reorder point (<c>PUT /v1/stock-alerts/{sku}</c>) to at or
/// below it. Events may arrive late or out of order (retries, several dispatchers), so each event is judged
/// on its own before and after values, never against the last level seen; and the level only moves forward
/// by the SKU's ledger version.
/// </summary>
public sealed class LowStockProjection : IEventConsumer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Name => "low-stock";

    public string TypePrefix => "inventory.";

    public async Task ApplyAsync(PublishedEvent published, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        // Only the members this projection needs are read; any others are ignored, as the event contract requires.
        if (JsonSerializer.Deserialize<StockChange>(published.DataJson, Json) is not { OnHand: { } onHand } change)
        {
            return;
        }

        var (tenant, sku, version) = (published.TenantId, published.AggregateId, published.AggregateVersion);
        var seenVersion = await LockLevelAsync(connection, transaction, tenant, sku, version, onHand, cancellationToken);
        if (seenVersion < version)
        {
            await ExecuteAsync(connection, transaction,
                "UPDATE stock_levels SET on_hand = $3, version = $4, updated_at = now() WHERE tenant_id = $1 AND sku = $2",
                cancellationToken, tenant, sku, onHand, version);
        }

        await ExecuteAsync(connection, transaction,
            """
            INSERT INTO low_stock_alerts (tenant_id, sku, event_id, on_hand, reorder_point, raised_at)
            SELECT $1, $2, $3, $4, r.reorder_point, now()
            FROM reorder_points r
            WHERE r.tenant_id = $1 AND r.sku = $2 AND $4 <= r.reorder_point AND ($5::bigint IS NULL OR $5::bigint > r.reorder_point)
            """,
            cancellationToken, tenant, sku, published.EventId, onHand, (object?)change.OnHandBefore ?? DBNull.Value);
    }

    /// <summary>
    /// The ledger version of the level seen so far, locked for this transaction; null if this event is the first (then it is inserted,
    /// so a concurrent delivery for the same SKU waits on the row instead of racing).
    /// </summary>
    private static async Task<long?> LockLevelAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        string tenant, string sku, long version, long onHand, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await using (var select = new NpgsqlCommand(
                "SELECT version FROM stock_levels WHERE tenant_id = $1 AND sku = $2 FOR UPDATE", connection, transaction))
            {
                select.Parameters.Add(new() { Value = tenant });
                select.Parameters.Add(new() { Value = sku });
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                if (await reader.ReadAsync(cancellationToken))
                {
                    return reader.GetInt64(0);
                }
            }

            var inserted = await ExecuteAsync(connection, transaction,
                """
                INSERT INTO stock_levels (tenant_id, sku, on_hand, version, updated_at) VALUES ($1, $2, $3, $4, now())
                ON CONFLICT (tenant_id, sku) DO NOTHING
                """,
                cancellationToken, tenant, sku, onHand, version);
            if (inserted == 1)
            {
                return null;
            }
        }

        throw new InvalidOperationException($"The stock level of {tenant}/{sku} could not be locked.");
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql,
        CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new() { Value = value });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The members of an inventory event this projection reads.</summary>
    private sealed record StockChange(string? Operation, long? Quantity, long? OnHand)
    {
        /// <summary>On hand before the event; null for a creation (nothing was above the reorder point before).</summary>
        public long? OnHandBefore => Operation switch
        {
            "sell" => OnHand + Quantity,
            "receive" or "return" or "adjust" => OnHand - Quantity, // adjust's quantity is the signed change
            _ => null,
        };
    }
}
