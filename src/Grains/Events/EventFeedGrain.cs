using FurnitureOps.Grains.Interfaces.Events;
using FurnitureOps.Grains.Storage;
using Orleans.Concurrency;

namespace FurnitureOps.Grains.Events;

/// <summary>Reads the published events (the feed the relay writes) and the dead letters of a tenant.</summary>
[StatelessWorker]
public sealed class EventFeedGrain(PostgresStorage storage) : Grain, IEventFeedGrain
{
    public async Task<IReadOnlyList<FeedEvent>> ReadAsync(string tenantId, long after, int limit) =>
        await storage.Reads.ExecuteAsync(async token =>
        {
            await using var command = storage.DataSource.Command(
                """
                SELECT f.position, o.event_id, o.event_type, o.tenant_id, o.occurred_at, o.request_id,
                       o.aggregate_type, o.aggregate_id, o.aggregate_version, o.payload::text
                FROM event_feed f JOIN outbox o ON o.id = f.outbox_id
                WHERE f.tenant_id = $1 AND f.position > $2
                ORDER BY f.position
                LIMIT $3
                """, tenantId, after, limit);
            var events = new List<FeedEvent>();
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                events.Add(new FeedEvent(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                    reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5), reader.GetString(6), reader.GetString(7),
                    reader.GetInt64(8), reader.GetString(9)));
            }

            return (IReadOnlyList<FeedEvent>)events;
        }, CancellationToken.None);

    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string tenantId, int limit) =>
        await storage.Reads.ExecuteAsync(async token =>
        {
            await using var command = storage.DataSource.Command(
                """
                SELECT * FROM (
                    SELECT 'outbox:' || o.id AS id, o.event_id, o.event_type, NULL AS subscriber, f.attempts,
                           f.last_error, o.occurred_at, o.id AS outbox_id
                    FROM outbox_failures f JOIN outbox o ON o.id = f.outbox_id
                    WHERE f.dead_lettered_at IS NOT NULL AND f.tenant_id = $1
                    UNION ALL
                    SELECT 'delivery:' || d.id, o.event_id, o.event_type, d.subscriber, d.attempts, d.last_error, o.occurred_at, o.id
                    FROM event_deliveries d JOIN outbox o ON o.id = d.outbox_id
                    WHERE d.status = 'dead' AND o.tenant_id = $1) AS dead
                ORDER BY outbox_id, id
                LIMIT $2
                """, tenantId, limit);
            var letters = new List<DeadLetter>();
            await using var reader = await command.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                letters.Add(new DeadLetter(reader.GetString(0), reader.GetGuid(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetFieldValue<DateTimeOffset>(6)));
            }

            return (IReadOnlyList<DeadLetter>)letters;
        }, CancellationToken.None);

    // Idempotent (a second retry of the same dead letter finds it no longer dead), so the read pipeline's retries are safe.
    public async Task<bool> RetryDeadLetterAsync(string tenantId, string deadLetterId) =>
        await storage.Reads.ExecuteAsync(async token =>
        {
            var (kind, id) = Parse(deadLetterId);
            await using var command = kind switch
            {
                "outbox" => storage.DataSource.Command(
                    """
                    UPDATE outbox_failures SET dead_lettered_at = NULL, attempts = 0, next_attempt_at = now()
                    WHERE outbox_id = $1 AND tenant_id = $2 AND dead_lettered_at IS NOT NULL
                    """, id, tenantId),
                "delivery" => storage.DataSource.Command($"{RequeueDeadDeliveries} AND d.id = $2", tenantId, id),
                _ => null,
            };
            return command is not null && await command.ExecuteNonQueryAsync(token) == 1;
        }, CancellationToken.None);

    // Idempotent too: a second call finds only what died again since.
    public async Task<int> RetrySubscriberDeadLettersAsync(string tenantId, string subscriber) =>
        await storage.Reads.ExecuteAsync(async token =>
        {
            await using var command = storage.DataSource.Command($"{RequeueDeadDeliveries} AND d.subscriber = $2", tenantId, subscriber);
            return await command.ExecuteNonQueryAsync(token);
        }, CancellationToken.None);

    /// <summary>$1 the tenant: gives its dead deliveries matching the appended condition fresh attempts, due now.</summary>
    private const string RequeueDeadDeliveries = """
        UPDATE event_deliveries d SET status = 'pending', attempts = 0, next_attempt_at = now()
        FROM outbox o
        WHERE d.status = 'dead' AND o.id = d.outbox_id AND o.tenant_id = $1
        """;

    private static (string? Kind, long Id) Parse(string deadLetterId) =>
        deadLetterId.Split(':') is [var kind, var number] && long.TryParse(number, out var id) ? (kind, id) : (null, 0);
}
