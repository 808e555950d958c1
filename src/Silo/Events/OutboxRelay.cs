using System.Text.Json;
using FurnitureOps.Grains.Storage;
using FurnitureOps.Silo.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FurnitureOps.Silo.Events;

/// <summary>
/// Publishes outbox rows: in one transaction it takes the next rows in publication order, gives each the next
/// feed position (<c>event_feed</c>), applies them to the internal consumers (<see cref="ConsumeAsync"/>), fans
/// them out into one <c>event_deliveries</c> row per matching webhook subscription of the event's tenant, and
/// moves the relay's position past them. Nothing is sent from here — the dispatcher does that — so a crash at
/// any point rolls the whole batch back, the consumers' writes with it, and the next round publishes it again.
/// </summary>
/// <remarks>
/// <para>The outbox is insert-only: publishing writes a narrow feed row and moves one position row, instead of
/// rewriting every event's wide row. That needs an order in which a row can never appear behind the position
/// after the relay has passed it, although transactions commit in any order. Each row carries the id of the
/// transaction that wrote it (<c>txid</c>); the relay takes rows in (txid, id) order and only those written by
/// transactions older than every transaction still running (below the snapshot's <c>xmin</c>). Any transaction
/// that could still add a row sorts after them. The cost: publication waits for the oldest writing
/// transaction on the server (commit-pipeline transactions take milliseconds).</para>
/// <para>Every silo runs a relay, but only one publishes at a time (a transaction-scoped advisory lock), so feed
/// positions are handed out in publication order and a feed reader that has seen position N never later finds
/// a smaller one appear. The position update is guarded by the position read, and <c>event_feed</c> takes an
/// outbox row once, so even a relay that did not take the lock could not publish a row twice.</para>
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

    /// <summary>Publishes one batch; returns how many rows it took (0 if another silo holds the lock).</summary>
    public async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await LockAndReadPositionAsync(connection, transaction, cancellationToken) is not { } position)
        {
            return 0;
        }

        if (position.AheadOfServer)
        {
            LogPositionAhead(Logger, position.LastTxid);
            return 0;
        }

        var (fresh, retried) = await ReadRowsAsync(connection, transaction, position, cancellationToken);
        var taken = fresh.Concat(retried).Select(row => (Row: row, Problem: Malformed(row.Payload))).ToList();

        var writes = new PublicationWrites(position);
        foreach (var (row, problem) in taken)
        {
            if (problem is null)
            {
                writes.Publish(row.Id, row.Published, wasSetAside: row.SetAside);
            }
            else
            {
                writes.SetAside(Failure(row, problem));
            }
        }

        if (fresh.Count > 0)
        {
            writes.MovePast(fresh[^1].Txid, fresh[^1].Id);
        }

        var events = writes.Published.Select(entry => entry.Event).ToList();
        var unapplied = events.Count > 0 ? await ConsumeAsync(events, connection, transaction, cancellationToken) : [];
        await writes.ExecuteAsync(unapplied, connection, transaction, cancellationToken);

        await transaction.CommitAsync(cancellationToken);
        SiloMetrics.EventsPublished(events.Count);
        foreach (var failure in writes.Failures)
        {
            LogMalformed(Logger, failure.OutboxId, failure.Attempts, failure.DeadLettered, failure.Error);
        }

        return taken.Count;
    }

    protected override async Task<bool> RoundAsync(CancellationToken cancellationToken) =>
        await PublishBatchAsync(cancellationToken) >= Options.PublishBatchSize;

    /// <summary>
    /// Takes the publisher lock and reads the position, in one round trip; null if another silo holds the lock.
    /// A position at or beyond the next transaction id can only come from a logical restore into another
    /// server (pg_dump keeps the column's values, not the server's counter): see docs/operations.md.
    /// </summary>
    private static async Task<RelayPosition?> LockAndReadPositionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                SqlCommands.BatchCommand("SELECT pg_try_advisory_xact_lock($1)", PublisherLock),
                SqlCommands.BatchCommand(
                    """
                    SELECT last_txid::text, last_id, last_position, last_txid >= pg_snapshot_xmax(pg_current_snapshot())
                    FROM outbox_relay_position
                    """),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (!reader.GetBoolean(0))
        {
            return null;
        }

        if (!await reader.NextResultAsync(cancellationToken) || !await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("outbox_relay_position has no row: the database was not migrated (migration 0010).");
        }

        return new RelayPosition(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetBoolean(3));
    }

    private const string RowColumns =
        "o.id, o.txid::text, o.payload::text, o.event_id, o.event_type, o.tenant_id, o.occurred_at, o.request_id, " +
        "o.aggregate_type, o.aggregate_id, o.aggregate_version";

    /// <summary>
    /// In one round trip: the next rows after the position, and the rows set aside earlier whose next attempt is
    /// due (an operator may have corrected them meanwhile).
    /// </summary>
    private async Task<(List<OutboxRow> Fresh, List<OutboxRow> Retried)> ReadRowsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, RelayPosition position, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction)
        {
            BatchCommands =
            {
                SqlCommands.BatchCommand(
                    $"""
                    SELECT {RowColumns}, 0, false
                    FROM outbox o
                    WHERE (o.txid, o.id) > ($1::xid8, $2) AND o.txid < pg_snapshot_xmin(pg_current_snapshot())
                    ORDER BY o.txid, o.id
                    LIMIT $3
                    """, position.LastTxid, position.LastId, Options.PublishBatchSize),
                SqlCommands.BatchCommand(
                    $"""
                    SELECT {RowColumns}, f.attempts, true
                    FROM outbox_failures f JOIN outbox o ON o.id = f.outbox_id
                    WHERE f.dead_lettered_at IS NULL AND f.next_attempt_at <= now()
                    ORDER BY f.next_attempt_at
                    LIMIT $1
                    FOR UPDATE OF f SKIP LOCKED
                    """, Options.PublishBatchSize),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var fresh = await ReadRowsAsync(reader, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return (fresh, await ReadRowsAsync(reader, cancellationToken));
    }

    private static async Task<List<OutboxRow>> ReadRowsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<OutboxRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OutboxRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetGuid(3), reader.GetString(4),
                reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7), reader.GetString(8), reader.GetString(9),
                reader.GetInt64(10), reader.GetInt32(11), reader.GetBoolean(12)));
        }

        return rows;
    }

    private PublicationFailure Failure(OutboxRow row, string error)
    {
        var attempts = row.FailedAttempts + 1;
        return new PublicationFailure(row.Id, row.TenantId, attempts, error, Options.BackoffAfter(attempts),
            DeadLettered: attempts >= Options.MaxPublishAttempts);
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

    /// <summary>An outbox row as the relay reads it: fresh, or set aside before (<see cref="SetAside"/>) after <see cref="FailedAttempts"/>.</summary>
    private sealed record OutboxRow(
        long Id, string Txid, string Payload, Guid EventId, string Type, string TenantId, DateTimeOffset OccurredAt, string RequestId,
        string AggregateType, string AggregateId, long AggregateVersion, int FailedAttempts, bool SetAside)
    {
        public PublishedEvent Published(long position) =>
            new(position, EventId, Type, TenantId, OccurredAt, RequestId, AggregateType, AggregateId, AggregateVersion, Payload);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox row {OutboxId} cannot be published (attempt {Attempts}, dead-lettered: {DeadLettered}): {Reason}")]
    private static partial void LogMalformed(ILogger logger, long outboxId, int attempts, bool deadLettered, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox relay's position (transaction {Txid}) is ahead of this server's transaction ids, so nothing is published; was the database restored from a logical dump? See docs/operations.md")]
    private static partial void LogPositionAhead(ILogger logger, string txid);
}
