using FurnitureOps.Grains.Interfaces.Pos;
using FurnitureOps.Grains.Storage;

namespace FurnitureOps.Grains.Pos;

/// <summary>
/// The operators' list of POS events whose saga has steps left: their <c>pos_events</c> rows in 'pending' or
/// 'compensating', read through the partial index <c>pos_events_pending</c> (migration 0017).
/// </summary>
public sealed class PosPendingStore(PostgresStorage storage)
{
    /// <summary>$1 tenant, $2 the most rows: the tenant's unfinished events, oldest accepted first.</summary>
    /// <remarks>The statuses are written out, not bound, so the planner can match the predicate to the partial index's.</remarks>
    public const string ListSql = """
        SELECT event_id, saga, next_attempt_at
        FROM pos_events
        WHERE tenant_id = $1 AND status IN ('pending', 'compensating')
        ORDER BY created_at, event_id
        LIMIT $2
        """;

    public async Task<IReadOnlyList<PosPendingItem>> ListAsync(string tenantId, int limit) =>
        await storage.Reads.ExecuteAsync(async token =>
        {
            await using var command = storage.DataSource.Command(ListSql, tenantId, limit);
            var items = new List<PosPendingItem>();
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                // The saga as its grain reads it, so the list says what GET /v1/pos/events/{id} says; the next attempt
                // is the row's, which the sweeper's lease moves.
                var saga = LedgerJson.Deserialize<PosEventState>(reader.GetString(1));
                items.Add(new PosPendingItem(Guid.Parse(reader.GetString(0)), saga.Submission.Source, saga.Status, saga.Attempts,
                    saga.LastError, saga.RequestId, saga.AcceptedAt, reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2)));
            }

            return (IReadOnlyList<PosPendingItem>)items;
        }, CancellationToken.None);
}
