using FurnitureOps.Grains.Storage.Tables;
using FurnitureOps.Silo.Telemetry;
using Npgsql;

namespace FurnitureOps.Silo.Events;

/// <summary>The dispatcher's internal consumers: rounds of events applied exactly once, set-based.</summary>
public sealed partial class DeliveryDispatcher
{
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

        SiloMetrics.DeliveryAttempted("consumer", "delivered", ordered.Count);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consumer {Consumer}: the round of {Deliveries} deliveries failed together; making them one by one")]
    private static partial void LogRoundFailed(ILogger logger, Exception error, string consumer, int deliveries);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Consumer {Consumer} already applied event {EventId}; duplicate ignored")]
    private static partial void LogDuplicateIgnored(ILogger logger, string consumer, Guid eventId);
}
