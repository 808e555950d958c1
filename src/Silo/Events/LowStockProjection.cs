using System.Text.Json;
using FurnitureOps.Grains.Storage.Tables;
using Npgsql;
using static FurnitureOps.Grains.Storage.Tables.TableColumn;

namespace FurnitureOps.Silo.Events;

/// <summary>
/// Keeps the last stock level of every SKU from its <c>inventory.*</c> events and raises a low-stock alert
/// for each event that takes a SKU from above its reorder point (<c>PUT /v1/stock-alerts/{sku}</c>) to at or
/// below it. Events may arrive late or out of order (retries, several dispatchers), so each event is judged
/// on its own before and after values, never against the last level seen; and the level only moves forward
/// by the SKU's ledger version. A round of events costs two statements whatever its size.
/// </summary>
public sealed class LowStockProjection : IEventConsumer
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly IReadOnlyList<TableColumn> LevelColumns = [Text("tenant_id"), Text("sku"), Bigint("on_hand"), Bigint("version")];

    private static readonly IReadOnlyList<TableColumn> ChangeColumns =
        [Text("tenant_id"), Text("sku"), Uuid("event_id"), Bigint("on_hand"), NullableBigint("on_hand_before")];

    // One row per SKU (the newest event of the round), in key order: two dispatchers lock levels in the same order.
    private static readonly string LevelSql = $"""
        INSERT INTO stock_levels (tenant_id, sku, on_hand, version, updated_at)
        SELECT r.tenant_id, r.sku, r.on_hand, r.version, now() FROM {RowSet.Unnest(LevelColumns, "r")}
        ON CONFLICT (tenant_id, sku) DO UPDATE
            SET on_hand = excluded.on_hand, version = excluded.version, updated_at = excluded.updated_at
            WHERE stock_levels.version < excluded.version
        """;

    private static readonly string AlertSql = $"""
        INSERT INTO low_stock_alerts (tenant_id, sku, event_id, on_hand, reorder_point, raised_at)
        SELECT e.tenant_id, e.sku, e.event_id, e.on_hand, p.reorder_point, now()
        FROM {RowSet.Unnest(ChangeColumns, "e")}
        JOIN reorder_points p ON p.tenant_id = e.tenant_id AND p.sku = e.sku
        WHERE e.on_hand <= p.reorder_point AND (e.on_hand_before IS NULL OR e.on_hand_before > p.reorder_point)
        """;

    public string Name => "low-stock";

    public string TypePrefix => "inventory.";

    public async Task ApplyAsync(IReadOnlyList<PublishedEvent> events, NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        // Only the members this projection needs are read; any others are ignored, as the event contract requires.
        var changes = events
            .Select(published => (Event: published, Change: JsonSerializer.Deserialize<StockChange>(published.DataJson, Json)))
            .Where(item => item.Change is { OnHand: not null })
            .ToList();
        if (changes.Count == 0)
        {
            return;
        }

        var levels = new RowSet(LevelColumns);
        foreach (var newest in changes.GroupBy(item => (item.Event.TenantId, item.Event.AggregateId))
                     .Select(sku => sku.MaxBy(item => item.Event.AggregateVersion))
                     .OrderBy(item => item.Event.TenantId, StringComparer.Ordinal)
                     .ThenBy(item => item.Event.AggregateId, StringComparer.Ordinal))
        {
            levels.Add(newest.Event.TenantId, newest.Event.AggregateId, newest.Change!.OnHand, newest.Event.AggregateVersion);
        }

        var alerts = new RowSet(ChangeColumns);
        foreach (var (published, change) in changes)
        {
            alerts.Add(published.TenantId, published.AggregateId, published.EventId, change!.OnHand, change.OnHandBefore);
        }

        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands = { levels.Statement(LevelSql), alerts.Statement(AlertSql) },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
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
