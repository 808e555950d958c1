using FurnitureOps.Grains.Interfaces.RatingSlips;
using FurnitureOps.Grains.Storage;

namespace FurnitureOps.Grains.RatingSlips;

/// <summary>
/// The operators' list of completed slips whose accrual waits: <c>rating_slips</c> rows in
/// <c>accrual_pending</c> or <c>accrual_stalled</c> (<see cref="RatingSlipGrain"/>'s row statuses), read through
/// migration 0016's partial index, so the list costs what is waiting and not the table.
/// </summary>
public sealed class RatingSlipAttentionStore(PostgresStorage storage)
{
    public async Task<IReadOnlyList<RatingSlipAttentionItem>> ListAsync(string tenantId, int limit) =>
        await storage.Reads.ExecuteAsync(async token =>
        {
            // The statuses are written out as the index's predicate is, so the planner can use it. next_attempt_at
            // is the row's (null once stalled), not the saga's, which keeps the last backoff it computed.
            await using var command = storage.DataSource.Command(
                """
                SELECT slip_id, saga::text, next_attempt_at
                FROM rating_slips
                WHERE tenant_id = $1 AND status IN ('accrual_pending', 'accrual_stalled')
                ORDER BY updated_at, slip_id
                LIMIT $2
                """, tenantId, limit);
            var items = new List<RatingSlipAttentionItem>();
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                var slip = LedgerJson.Deserialize<RatingSlipState>(reader.GetString(1));
                items.Add(new RatingSlipAttentionItem(reader.GetString(0), slip.PlayerId, slip.Game, slip.Points, slip.Accrual,
                    slip.AccrualAttempts, slip.CorrelationId, slip.CompletedAt,
                    reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2)));
            }

            return (IReadOnlyList<RatingSlipAttentionItem>)items;
        }, CancellationToken.None);
}
