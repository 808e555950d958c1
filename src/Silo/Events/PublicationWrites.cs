using FurnitureOps.Grains.Storage;
using FurnitureOps.Grains.Storage.Tables;
using Npgsql;
using static FurnitureOps.Grains.Storage.Tables.TableColumn;

namespace FurnitureOps.Silo.Events;

/// <summary>An outbox row the relay could not publish this time.</summary>
internal sealed record PublicationFailure(
    long OutboxId, string TenantId, int Attempts, string Error, TimeSpan Backoff, bool DeadLettered);

/// <summary>
/// What one publishing transaction writes, besides the consumers' own writes: the feed rows, the webhook and
/// consumer deliveries, the rows set aside, and the relay's new position. One round trip.
/// </summary>
internal sealed class PublicationWrites(RelayPosition position)
{
    private static readonly IReadOnlyList<TableColumn> FeedColumns = [Bigint("position"), Bigint("outbox_id"), Text("tenant_id")];

    private static readonly string InsertFeedSql = $"""
        INSERT INTO event_feed (position, outbox_id, tenant_id, published_at)
        SELECT r.position, r.outbox_id, r.tenant_id, now() FROM {RowSet.Unnest(FeedColumns, "r")}
        """;

    private readonly List<(long OutboxId, PublishedEvent Event, bool WasSetAside)> _published = [];
    private readonly List<PublicationFailure> _failures = [];
    private long _lastPosition = position.LastPosition;
    private (string Txid, long Id) _last = (position.LastTxid, position.LastId);

    public IReadOnlyList<(long OutboxId, PublishedEvent Event, bool WasSetAside)> Published => _published;

    public IReadOnlyList<PublicationFailure> Failures => _failures;

    /// <summary>Publishes a row at the next feed position; <paramref name="at"/> makes its event for that position.</summary>
    public void Publish(long outboxId, Func<long, PublishedEvent> at, bool wasSetAside) =>
        _published.Add((outboxId, at(++_lastPosition), wasSetAside));

    public void SetAside(PublicationFailure failure) => _failures.Add(failure);

    /// <summary>Every row up to (txid, id) in publication order has been published or set aside.</summary>
    public void MovePast(string txid, long id) => _last = (txid, id);

    public async Task ExecuteAsync(IReadOnlyList<IEventConsumer> unapplied, NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (_published.Count > 0)
        {
            var feed = new RowSet(FeedColumns);
            foreach (var (outboxId, published, _) in _published)
            {
                feed.Add(published.Position, outboxId, published.TenantId);
            }

            batch.BatchCommands.Add(feed.Statement(InsertFeedSql));
            batch.BatchCommands.Add(FanOut([.. _published.Select(entry => entry.OutboxId)], unapplied));
        }

        var recovered = _published.Where(entry => entry.WasSetAside).Select(entry => entry.OutboxId).ToArray();
        if (recovered.Length > 0)
        {
            batch.BatchCommands.Add(SqlCommands.BatchCommand("DELETE FROM outbox_failures WHERE outbox_id = ANY ($1)", recovered));
        }

        foreach (var failure in _failures)
        {
            batch.BatchCommands.Add(SetAsideStatement(failure));
        }

        var moved = _last != (position.LastTxid, position.LastId) || _lastPosition != position.LastPosition;
        if (moved)
        {
            batch.BatchCommands.Add(SqlCommands.BatchCommand(
                """
                UPDATE outbox_relay_position
                SET last_txid = $1::xid8, last_id = $2, last_position = $3, updated_at = now()
                WHERE last_txid = $4::xid8 AND last_id = $5 AND last_position = $6
                """,
                _last.Txid, _last.Id, _lastPosition, position.LastTxid, position.LastId, position.LastPosition));
        }

        if (batch.BatchCommands.Count == 0)
        {
            return;
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
        if (moved && batch.BatchCommands[^1].RecordsAffected != 1)
        {
            throw new InvalidOperationException("The outbox relay's position was moved by another relay during this batch; nothing of it is committed.");
        }
    }

    /// <summary>
    /// One delivery per matching webhook subscription, and per consumer in <paramref name="unapplied"/> (those that
    /// could not apply the batch on publication: the dispatcher retries them).
    /// </summary>
    private static NpgsqlBatchCommand FanOut(long[] ids, IReadOnlyList<IEventConsumer> unapplied) => SqlCommands.BatchCommand(
        """
        INSERT INTO event_deliveries (outbox_id, subscriber, status, next_attempt_at, created_at)
        SELECT o.id, 'webhook:' || s.id, 'pending', now(), now()
        FROM outbox o
        JOIN webhook_subscriptions s ON s.tenant_id = o.tenant_id AND s.deleted_at IS NULL
        WHERE o.id = ANY ($1)
          AND (cardinality(s.event_types) = 0
               OR EXISTS (SELECT FROM unnest(s.event_types) AS wanted (type)
                          WHERE wanted.type = o.event_type
                             OR (right(wanted.type, 1) = '*' AND starts_with(o.event_type, rtrim(wanted.type, '*')))))
        UNION ALL
        SELECT o.id, 'consumer:' || c.name, 'pending', now(), now()
        FROM outbox o
        CROSS JOIN unnest($2::text[], $3::text[]) AS c (name, prefix)
        WHERE o.id = ANY ($1) AND starts_with(o.event_type, c.prefix)
        ON CONFLICT (outbox_id, subscriber) DO NOTHING
        """,
        ids,
        unapplied.Select(consumer => consumer.Name).ToArray(),
        unapplied.Select(consumer => consumer.TypePrefix).ToArray());

    private static NpgsqlBatchCommand SetAsideStatement(PublicationFailure failure) => SqlCommands.BatchCommand(
        """
        INSERT INTO outbox_failures (outbox_id, tenant_id, attempts, last_error, next_attempt_at, dead_lettered_at)
        VALUES ($1, $2, $3, $4, now() + $5, CASE WHEN $6 THEN now() END)
        ON CONFLICT (outbox_id) DO UPDATE
        SET attempts = excluded.attempts, last_error = excluded.last_error, next_attempt_at = excluded.next_attempt_at,
            dead_lettered_at = excluded.dead_lettered_at
        """,
        failure.OutboxId, failure.TenantId, failure.Attempts, failure.Error, failure.Backoff, failure.DeadLettered);
}

/// <summary>The relay's progress: the last row taken in publication order, the last feed position handed out.</summary>
internal sealed record RelayPosition(string LastTxid, long LastId, long LastPosition, bool AheadOfServer);
