using System.Text.Json;
using FurnitureOps.Silo.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace FurnitureOps.Silo.Events;

/// <summary>
/// Publishes outbox rows: in one transaction it takes the oldest unpublished rows, gives each the next feed
/// position, applies them to the internal consumers (<see cref="ConsumeAsync"/>), fans them out into one
/// <c>event_deliveries</c> row per matching webhook subscription of the event's tenant, and marks them
/// delivered. Nothing is sent from here — the dispatcher does that — so a crash at any point rolls the whole
/// batch back, the consumers' writes with it, and the next round publishes it again.
/// </summary>
/// <remarks>
/// Every silo runs a relay, but only one publishes at a time (a transaction-scoped advisory lock): feed
/// positions are then handed out in commit order, so a feed reader that has seen position N can never later
/// find a smaller one appear. Rows are still read <c>FOR UPDATE SKIP LOCKED</c>, so a row can never be
/// published twice even by a relay that does not take the lock (an older version during a rolling upgrade).
/// </remarks>
public sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IEnumerable<IEventConsumer> consumers,
    IOptions<EventDeliveryOptions> options,
    ILogger<OutboxRelay> logger) : PollingWorker(options, logger)
{
    /// <summary>Arbitrary, fixed: the advisory lock key that makes publication single-file across silos.</summary>
    private const long PublisherLock = 0x466F_5265_6C61_7931; // "FoRelay1"

    private readonly IReadOnlyList<IEventConsumer> _consumers = [.. consumers];

    /// <summary>Publishes one batch; returns how many rows it published (0 if another silo holds the lock).</summary>
    public async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (!await TryLockAsync(connection, transaction, cancellationToken))
        {
            return 0;
        }

        var rows = await ReadDueAsync(connection, transaction, cancellationToken);
        var judged = rows.Select(row => (Row: row, Problem: Malformed(row.Payload))).ToList();
        var publishable = judged.Where(row => row.Problem is null).Select(row => row.Row).ToList();
        if (publishable.Count > 0)
        {
            var ids = publishable.Select(row => row.Id).ToArray();
            var positions = await PositionAsync(connection, transaction, ids, cancellationToken);
            var published = publishable.Select(row => row.Published(positions[row.Id])).ToList();
            var unapplied = await ConsumeAsync(published, connection, transaction, cancellationToken);
            await FanOutAsync(connection, transaction, ids, unapplied, cancellationToken);
        }

        foreach (var (row, problem) in judged.Where(row => row.Problem is not null))
        {
            await RecordFailureAsync(connection, transaction, row, problem!, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        SiloMetrics.EventsPublished(publishable.Count);
        return rows.Count;
    }

    protected override async Task<bool> RoundAsync(CancellationToken cancellationToken) =>
        await PublishBatchAsync(cancellationToken) == Options.PublishBatchSize;

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock($1)", connection, transaction);
        command.Parameters.Add(new() { Value = PublisherLock });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<List<OutboxRow>> ReadDueAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT id, payload::text, publish_attempts,
                   event_id, event_type, tenant_id, occurred_at, request_id, aggregate_type, aggregate_id, aggregate_version
            FROM outbox
            WHERE delivered_at IS NULL AND dead_lettered_at IS NULL AND (next_attempt_at IS NULL OR next_attempt_at <= now())
            ORDER BY id
            LIMIT $1
            FOR UPDATE SKIP LOCKED
            """, connection, transaction);
        command.Parameters.Add(new() { Value = Options.PublishBatchSize });
        var rows = new List<OutboxRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OutboxRow(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetGuid(3), reader.GetString(4),
                reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7), reader.GetString(8), reader.GetString(9),
                reader.GetInt64(10)));
        }

        return rows;
    }

    // Positions continue from the highest given so far; safe because only the lock holder assigns them.
    private static async Task<Dictionary<long, long>> PositionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long[] ids,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            UPDATE outbox o
            SET delivered_at = now(), feed_position = base.position + batch.ordinal
            FROM unnest($1::bigint[]) WITH ORDINALITY AS batch (id, ordinal),
                 (SELECT coalesce(max(feed_position), 0) AS position FROM outbox) AS base
            WHERE o.id = batch.id
            RETURNING o.id, o.feed_position
            """, connection, transaction);
        command.Parameters.Add(new() { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        var positions = new Dictionary<long, long>(ids.Length);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            positions[reader.GetInt64(0)] = reader.GetInt64(1);
        }

        return positions;
    }

    /// <summary>
    /// One delivery per matching webhook subscription, and per matching consumer in <paramref name="consumers"/>
    /// (those that could not apply the batch on publication: the dispatcher retries them).
    /// </summary>
    private static async Task FanOutAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long[] ids,
        IReadOnlyList<IEventConsumer> consumers, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
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
            """, connection, transaction);
        command.Parameters.Add(new() { Value = ids, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = consumers.Select(consumer => consumer.Name).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = consumers.Select(consumer => consumer.TypePrefix).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task RecordFailureAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, OutboxRow row, string error, CancellationToken cancellationToken)
    {
        var attempts = row.Attempts + 1;
        var dead = attempts >= Options.MaxPublishAttempts;
        await using var command = new NpgsqlCommand(
            """
            UPDATE outbox
            SET publish_attempts = $2, last_error = $3, next_attempt_at = now() + $4,
                dead_lettered_at = CASE WHEN $5 THEN now() END
            WHERE id = $1
            """, connection, transaction);
        command.Parameters.Add(new() { Value = row.Id });
        command.Parameters.Add(new() { Value = attempts });
        command.Parameters.Add(new() { Value = error });
        command.Parameters.Add(new() { Value = Options.BackoffAfter(attempts) });
        command.Parameters.Add(new() { Value = dead });
        await command.ExecuteNonQueryAsync(cancellationToken);
        LogMalformed(Logger, row.Id, attempts, dead, error);
    }

    /// <summary>Why a row cannot be published, or null. Every event's data must be a JSON object (subscribers add members to it).</summary>
    private static string? Malformed(string payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object ? null : $"data is a JSON {document.RootElement.ValueKind}, not an object";
        }
        catch (JsonException error)
        {
            return $"data is not JSON: {error.Message}";
        }
    }

    private sealed record OutboxRow(
        long Id, string Payload, int Attempts, Guid EventId, string Type, string TenantId, DateTimeOffset OccurredAt, string RequestId,
        string AggregateType, string AggregateId, long AggregateVersion)
    {
        public PublishedEvent Published(long position) =>
            new(position, EventId, Type, TenantId, OccurredAt, RequestId, AggregateType, AggregateId, AggregateVersion, Payload);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox row {OutboxId} cannot be published (attempt {Attempts}, dead-lettered: {DeadLettered}): {Reason}")]
    private static partial void LogMalformed(ILogger logger, long outboxId, int attempts, bool deadLettered, string reason);
}
