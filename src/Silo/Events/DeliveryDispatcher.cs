using FurnitureOps.Grains.Storage.Tables;
using FurnitureOps.Silo.Telemetry;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FurnitureOps.Silo.Events;

/// <summary>
/// Makes the deliveries the relay fanned out. Each round claims due rows with <c>FOR UPDATE SKIP LOCKED</c>,
/// bumping their attempt number and pushing their due time out by the lease, then commits the claim and
/// delivers outside any transaction. One attempt is therefore made by one dispatcher only, however many silos
/// run one; a dispatcher that dies mid-attempt leaves a row that is due again when its lease ends.
/// Results are written back guarded by the attempt number, so a late answer cannot overwrite a newer attempt.
/// </summary>
public sealed partial class DeliveryDispatcher(
    NpgsqlDataSource dataSource,
    WebhookSender webhooks,
    IEnumerable<IEventConsumer> consumers,
    IOptions<EventDeliveryOptions> options,
    ILogger<DeliveryDispatcher> logger) : PollingWorker(options, logger)
{
    private const string WebhookPrefix = "webhook:";
    private const string ConsumerPrefix = "consumer:";

    private readonly Dictionary<string, IEventConsumer> _consumers =
        consumers.ToDictionary(consumer => ConsumerPrefix + consumer.Name, StringComparer.Ordinal);

    /// <summary>Claims and makes one round of due deliveries; returns how many were claimed.</summary>
    /// <remarks>
    /// An internal consumer's deliveries of the round run one after another, in feed order per aggregate: in
    /// parallel they would only queue on the aggregate's row lock (the low-stock projection locks the SKU's
    /// level), each holding a connection while it waits; under a hot SKU that was most of the database's
    /// time. They also commit together (<see cref="ConsumeRoundAsync"/>). Webhook deliveries run in parallel,
    /// each in a lane of its own.
    /// </remarks>
    public async Task<int> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(cancellationToken);
        var work = claimed.Where(IsWebhook).Select(delivery => (Func<CancellationToken, Task>)(token => DeliverAsync(delivery, token)))
            .Concat(claimed.Where(delivery => !IsWebhook(delivery)).GroupBy(delivery => delivery.Subscriber)
                .Select(round => (Func<CancellationToken, Task>)(token => ConsumeRoundAsync(round.Key, [.. round], token))));
        await Parallel.ForEachAsync(work,
            new ParallelOptions { MaxDegreeOfParallelism = Options.DeliveryConcurrency, CancellationToken = cancellationToken },
            async (deliver, token) => await deliver(token));
        return claimed.Count;
    }

    private static bool IsWebhook(Delivery delivery) => !delivery.Subscriber.StartsWith(ConsumerPrefix, StringComparison.Ordinal);

    /// <summary>
    /// One consumer's deliveries of a round, in one transaction with a constant number of statements
    /// (<see cref="ApplyOnceAsync"/>), so a busy projection costs a few statements and a commit per round
    /// rather than per event. Ordered by aggregate, then feed position: two silos' dispatchers lock
    /// aggregates in the same order. If anything fails, nothing of it is kept, and the deliveries are made one
    /// by one instead, each with its own outcome.
    /// </summary>
    private async Task ConsumeRoundAsync(string subscriber, List<Delivery> deliveries, CancellationToken cancellationToken)
    {
        var ordered = deliveries.OrderBy(delivery => delivery.Event.TenantId, StringComparer.Ordinal)
            .ThenBy(delivery => delivery.Event.AggregateType, StringComparer.Ordinal)
            .ThenBy(delivery => delivery.Event.AggregateId, StringComparer.Ordinal)
            .ThenBy(delivery => delivery.Event.Position).ToList();
        if (!_consumers.TryGetValue(subscriber, out var consumer) || ordered.Count == 1)
        {
            foreach (var delivery in ordered)
            {
                await DeliverAsync(delivery, cancellationToken);
            }

            return;
        }

        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ApplyOnceAsync(consumer, ordered, connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRoundFailed(Logger, error, consumer.Name, ordered.Count);
            foreach (var delivery in ordered)
            {
                await ConsumeAsync(consumer, delivery, cancellationToken);
            }

            return;
        }

        foreach (var _ in ordered)
        {
            SiloMetrics.DeliveryAttempted("consumer", "delivered");
        }
    }

    protected override async Task<bool> RoundAsync(CancellationToken cancellationToken) =>
        await DispatchBatchAsync(cancellationToken) == Options.DeliveryBatchSize;

    private async Task<List<Delivery>> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            """
            WITH due AS (
                SELECT id FROM event_deliveries
                WHERE status = 'pending' AND next_attempt_at <= now()
                ORDER BY next_attempt_at, id
                LIMIT $1
                FOR UPDATE SKIP LOCKED),
            claimed AS (
                UPDATE event_deliveries d
                SET attempts = d.attempts + 1, next_attempt_at = now() + $2
                FROM due WHERE d.id = due.id
                RETURNING d.id, d.outbox_id, d.subscriber, d.attempts)
            SELECT c.id, c.subscriber, c.attempts,
                   o.feed_position, o.event_id, o.event_type, o.tenant_id, o.occurred_at, o.request_id,
                   o.aggregate_type, o.aggregate_id, o.aggregate_version, o.payload::text,
                   s.url, s.secret, s.deleted_at IS NOT NULL
            FROM claimed c
            JOIN outbox o ON o.id = c.outbox_id
            LEFT JOIN webhook_subscriptions s
                   ON s.id = CASE WHEN starts_with(c.subscriber, 'webhook:') THEN substr(c.subscriber, 9)::uuid END
            ORDER BY c.id
            """);
        command.Parameters.Add(new() { Value = Options.DeliveryBatchSize });
        command.Parameters.Add(new() { Value = Options.Lease });
        var deliveries = new List<Delivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var published = new PublishedEvent(reader.GetInt64(3), reader.GetGuid(4), reader.GetString(5), reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7), reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.GetInt64(11),
                reader.GetString(12));
            deliveries.Add(new Delivery(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), published,
                reader.IsDBNull(13) ? null : reader.GetString(13), reader.IsDBNull(14) ? null : reader.GetString(14),
                !reader.IsDBNull(15) && reader.GetBoolean(15)));
        }

        return deliveries;
    }

    private async Task DeliverAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.Subscriber.StartsWith(ConsumerPrefix, StringComparison.Ordinal))
        {
            if (!_consumers.TryGetValue(delivery.Subscriber, out var consumer))
            {
                await FinishAsync(delivery, "cancelled", "no such consumer on this version", cancellationToken);
                return;
            }

            await ConsumeAsync(consumer, delivery, cancellationToken);
            return;
        }

        if (delivery.Url is null || delivery.Secret is null || delivery.SubscriptionDeleted)
        {
            await FinishAsync(delivery, "cancelled", "the webhook subscription was deleted", cancellationToken);
            return;
        }

        var error = await webhooks.SendAsync(delivery.Event, new Uri(delivery.Url), delivery.Secret, delivery.Attempt, cancellationToken);
        if (error is null)
        {
            await FinishAsync(delivery, "delivered", null, cancellationToken);
        }
        else
        {
            await FailAsync(delivery, error, cancellationToken);
        }
    }

    /// <summary>Consumer, dedupe record and "delivered" commit together, or not at all.</summary>
    private async Task ConsumeAsync(IEventConsumer consumer, Delivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ApplyOnceAsync(consumer, [delivery], connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            SiloMetrics.DeliveryAttempted("consumer", "delivered");
        }
        catch (Exception error) when (error is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            await FailAsync(delivery, $"{error.GetType().Name}: {error.Message}", cancellationToken);
        }
    }

    /// <summary>
    /// Records the events for the consumer, applies those not applied before, and marks the deliveries made
    /// (each guarded by its attempt number, like <see cref="FinishCommand"/>); commits nothing.
    /// </summary>
    private async Task ApplyOnceAsync(IEventConsumer consumer, IReadOnlyList<Delivery> deliveries, NpgsqlConnection connection,
        NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var recorded = new HashSet<Guid>();
        var events = new RowSet([TableColumn.Uuid("event_id")]);
        foreach (var delivery in deliveries)
        {
            events.Add(delivery.Event.EventId);
        }

        await using (var record = events.Command(
            """
            INSERT INTO processed_events (consumer, event_id, processed_at)
            SELECT $2, r.event_id, now() FROM unnest($1::uuid[]) AS r(event_id)
            ON CONFLICT DO NOTHING
            RETURNING event_id
            """, connection, transaction))
        {
            record.Parameters.Add(new() { Value = consumer.Name });
            await using var reader = await record.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                recorded.Add(reader.GetGuid(0));
            }
        }

        foreach (var duplicate in deliveries.Where(delivery => !recorded.Contains(delivery.Event.EventId)))
        {
            LogDuplicateIgnored(Logger, consumer.Name, duplicate.Event.EventId);
        }

        var fresh = deliveries.Where(delivery => recorded.Contains(delivery.Event.EventId)).Select(delivery => delivery.Event).ToList();
        if (fresh.Count > 0)
        {
            await consumer.ApplyAsync(fresh, connection, transaction, cancellationToken);
        }

        var made = new RowSet([TableColumn.Bigint("id"), TableColumn.Bigint("attempts")]);
        foreach (var delivery in deliveries)
        {
            made.Add(delivery.Id, (long)delivery.Attempt);
        }

        await using var finish = made.Command(
            """
            UPDATE event_deliveries d
            SET status = 'delivered', delivered_at = now(), last_error = NULL
            FROM unnest($1::bigint[], $2::bigint[]) AS r(id, attempts)
            WHERE d.id = r.id AND d.attempts = r.attempts AND d.status = 'pending'
            """, connection, transaction);
        await finish.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task FinishAsync(Delivery delivery, string status, string? note, CancellationToken cancellationToken)
    {
        await using var command = FinishCommand(delivery, status, note);
        command.Connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (command.Connection)
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        SiloMetrics.DeliveryAttempted(Kind(delivery), status);
    }

    private static NpgsqlCommand FinishCommand(Delivery delivery, string status, string? note)
    {
        var command = new NpgsqlCommand(
            """
            UPDATE event_deliveries
            SET status = $3, delivered_at = CASE WHEN $3 = 'delivered' THEN now() END, last_error = $4
            WHERE id = $1 AND attempts = $2 AND status = 'pending'
            """);
        command.Parameters.Add(new() { Value = delivery.Id });
        command.Parameters.Add(new() { Value = delivery.Attempt });
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(new() { Value = (object?)note ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return command;
    }

    private async Task FailAsync(Delivery delivery, string error, CancellationToken cancellationToken)
    {
        var dead = delivery.Attempt >= Options.MaxDeliveryAttempts;
        await using var command = dataSource.CreateCommand(
            """
            UPDATE event_deliveries
            SET status = CASE WHEN $3 THEN 'dead' ELSE 'pending' END, next_attempt_at = now() + $4, last_error = $5
            WHERE id = $1 AND attempts = $2 AND status = 'pending'
            """);
        command.Parameters.Add(new() { Value = delivery.Id });
        command.Parameters.Add(new() { Value = delivery.Attempt });
        command.Parameters.Add(new() { Value = dead });
        command.Parameters.Add(new() { Value = Options.BackoffAfter(delivery.Attempt) });
        command.Parameters.Add(new() { Value = error.Length > 500 ? error[..500] : error });
        await command.ExecuteNonQueryAsync(cancellationToken);
        SiloMetrics.DeliveryAttempted(Kind(delivery), dead ? "dead" : "failed");
        LogDeliveryFailed(Logger, delivery.Event.EventId, delivery.Subscriber, delivery.Attempt, dead, error);
    }

    private static string Kind(Delivery delivery) =>
        delivery.Subscriber.StartsWith(WebhookPrefix, StringComparison.Ordinal) ? "webhook" : "consumer";

    private sealed record Delivery(
        long Id, string Subscriber, int Attempt, PublishedEvent Event, string? Url, string? Secret, bool SubscriptionDeleted);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Delivery of event {EventId} to {Subscriber} failed (attempt {Attempt}, dead-lettered: {DeadLettered}): {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, Guid eventId, string subscriber, int attempt, bool deadLettered, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer}: the round of {Deliveries} deliveries failed together; making them one by one")]
    private static partial void LogRoundFailed(ILogger logger, Exception error, string consumer, int deliveries);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Consumer {Consumer} already applied event {EventId}; duplicate ignored")]
    private static partial void LogDuplicateIgnored(ILogger logger, string consumer, Guid eventId);
}
