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
}
