using System.Security.Cryptography;
using FurnitureOps.Grains.Events;
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
/// <remarks>
/// Subscribers are kept apart. Internal consumers' deliveries are claimed and applied on their own, never
/// behind a webhook. Webhook deliveries are claimed only when a slot is free to start them at once (at most
/// <c>Events:DeliveryConcurrency</c> in flight, and <c>Events:DeliveriesPerSubscriber</c> per subscriber) and run
/// without the round waiting for them: a slow receiver occupies its own few slots, not everyone's, and every
/// claimed delivery starts within its lease and ends within <c>Events:WebhookTimeout</c>, which is shorter.
/// </remarks>
public sealed partial class DeliveryDispatcher(
    NpgsqlDataSource dataSource,
    WebhookSender webhooks,
    IWebhookSecrets secrets,
    IEnumerable<IEventConsumer> consumers,
    IOptions<EventDeliveryOptions> options,
    ILogger<DeliveryDispatcher> logger) : PollingWorker(options, logger)
{
    private const string WebhookPrefix = "webhook:";
    private const string ConsumerPrefix = "consumer:";

    private readonly Dictionary<string, IEventConsumer> _consumers =
        consumers.ToDictionary(consumer => ConsumerPrefix + consumer.Name, StringComparer.Ordinal);

    private static readonly Dictionary<string, int> NoneHeld = [];

    private readonly InFlightWebhooks _inFlight = new();

    /// <summary>
    /// Applies the internal consumers' due deliveries and starts as many due webhook deliveries as there are
    /// free slots; true when either side found a full batch (more is probably waiting).
    /// </summary>
    /// <remarks>
    /// An internal consumer's deliveries of the round run one after another, in feed order per aggregate: in
    /// parallel they would only queue on the aggregate's row lock (the low-stock projection locks the SKU's
    /// level), each holding a connection while it waits; under a hot SKU that was most of the database's
    /// time. They also commit together (<see cref="ConsumeRoundAsync"/>).
    /// </remarks>
    protected override async Task<bool> RoundAsync(CancellationToken cancellationToken)
    {
        var consumed = await ClaimAsync(ConsumerPrefix, Options.DeliveryBatchSize, Options.DeliveryBatchSize, NoneHeld, cancellationToken);
        foreach (var round in consumed.GroupBy(delivery => delivery.Subscriber))
        {
            await ConsumeRoundAsync(round.Key, [.. round], cancellationToken);
        }

        var (free, held) = _inFlight.Capacity(Options.DeliveryConcurrency);
        var wanted = Math.Min(free, Options.DeliveryBatchSize);
        var started = wanted == 0 ? [] : await ClaimAsync(WebhookPrefix, wanted, Options.DeliveriesPerSubscriber, held, cancellationToken);
        foreach (var delivery in started)
        {
            _inFlight.Start(delivery.Subscriber, DeliverLoggedAsync(delivery, cancellationToken));
        }

        if (consumed.Count == Options.DeliveryBatchSize)
        {
            return true;
        }

        if (wanted == 0 || started.Count == wanted)
        {
            // Every slot busy, or more may be due: claim again once half the slots are free (in a batch rather
            // than one claim per ended delivery), or after the poll interval.
            await _inFlight.WaitForSlotsAsync(Options.DeliveryConcurrency, Math.Max(1, Options.DeliveryConcurrency / 2),
                Options.PollInterval, cancellationToken);
            return true;
        }

        return false;
    }

    // A delivery runs on after its round; an outcome it could not record leaves the row due again when its lease ends.
    private async Task DeliverLoggedAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            await DeliverAsync(delivery, cancellationToken);
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException)
        {
            LogOutcomeNotRecorded(Logger, error, delivery.Event.EventId, delivery.Subscriber, delivery.Attempt);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // the silo is stopping; the lease hands the delivery to another dispatcher
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Nothing else awaits this task: a failure no one logs here would go unseen.
            LogDeliveryCrashed(Logger, error, delivery.Event.EventId, delivery.Subscriber, delivery.Attempt);
        }
    }

    /// <summary>Lets the deliveries in flight end (or see the stop) before the silo goes on shutting down.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _inFlight.DrainAsync(cancellationToken);
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> due deliveries whose subscriber starts with <paramref name="kind"/>,
    /// each subscriber's in flight (<paramref name="held"/>) and claimed together at most <paramref name="perSubscriber"/>.
    /// </summary>
    private async Task<List<Delivery>> ClaimAsync(
        string kind, int limit, int perSubscriber, IReadOnlyDictionary<string, int> held, CancellationToken cancellationToken)
    {
        string[] full = [.. held.Where(subscriber => subscriber.Value >= perSubscriber).Select(subscriber => subscriber.Key)];
        var partly = held.Where(subscriber => subscriber.Value < perSubscriber).ToList();
        // Subscribers with all their share in flight are skipped; rows beyond a subscriber's share are locked
        // by the scan only until the statement ends.
        await using var command = dataSource.CreateCommand(
            """
            WITH due AS (
                SELECT id, subscriber, next_attempt_at FROM event_deliveries
                WHERE status = 'pending' AND next_attempt_at <= now()
                  AND starts_with(subscriber, $3) AND subscriber <> ALL($4)
                ORDER BY next_attempt_at, id
                LIMIT $1 * 4
                FOR UPDATE SKIP LOCKED),
            chosen AS (
                SELECT id FROM (
                    SELECT due.id, due.next_attempt_at, coalesce(holding.remaining, $5) AS allowed,
                           row_number() OVER (PARTITION BY due.subscriber ORDER BY due.next_attempt_at, due.id) AS turn
                    FROM due LEFT JOIN unnest($6::text[], $7::int[]) AS holding (subscriber, remaining)
                         ON holding.subscriber = due.subscriber) ranked
                WHERE turn <= allowed
                ORDER BY next_attempt_at, id
                LIMIT $1),
            claimed AS (
                UPDATE event_deliveries d
                SET attempts = d.attempts + 1, next_attempt_at = now() + $2
                FROM chosen WHERE d.id = chosen.id
                RETURNING d.id, d.outbox_id, d.subscriber, d.attempts)
            SELECT c.id, c.subscriber, c.attempts,
                   f.position, o.event_id, o.event_type, o.tenant_id, o.occurred_at, o.request_id,
                   o.aggregate_type, o.aggregate_id, o.aggregate_version, o.payload::text,
                   s.url, s.secret, s.deleted_at IS NOT NULL, s.secret_protected
            FROM claimed c
            JOIN outbox o ON o.id = c.outbox_id
            JOIN event_feed f ON f.outbox_id = c.outbox_id
            LEFT JOIN webhook_subscriptions s
                   ON s.id = CASE WHEN starts_with(c.subscriber, 'webhook:') THEN substr(c.subscriber, 9)::uuid END
            ORDER BY c.id
            """);
        command.Parameters.Add(new() { Value = limit });
        command.Parameters.Add(new() { Value = Options.Lease });
        command.Parameters.Add(new() { Value = kind });
        command.Parameters.Add(new() { Value = full, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = perSubscriber });
        command.Parameters.Add(new() { Value = partly.Select(subscriber => subscriber.Key).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = partly.Select(subscriber => perSubscriber - subscriber.Value).ToArray() });
        var deliveries = new List<Delivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var published = new PublishedEvent(reader.GetInt64(3), reader.GetGuid(4), reader.GetString(5), reader.GetString(6),
                reader.GetFieldValue<DateTimeOffset>(7), reader.GetString(8), reader.GetString(9), reader.GetString(10), reader.GetInt64(11),
                reader.GetString(12));
            deliveries.Add(new Delivery(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), published,
                reader.IsDBNull(13) ? null : reader.GetString(13), reader.IsDBNull(14) ? null : reader.GetString(14),
                !reader.IsDBNull(15) && reader.GetBoolean(15), !reader.IsDBNull(16) && reader.GetBoolean(16)));
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

        string secret;
        try
        {
            secret = secrets.Reveal(delivery.Secret, delivery.SecretProtected);
        }
        catch (CryptographicException)
        {
            await FailAsync(delivery, "the webhook secret cannot be read: its Data Protection key is not in data_protection_keys", cancellationToken);
            return;
        }

        var error = await webhooks.SendAsync(delivery.Event, new Uri(delivery.Url), secret, delivery.Attempt, cancellationToken);
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
        long Id, string Subscriber, int Attempt, PublishedEvent Event, string? Url, string? Secret, bool SubscriptionDeleted, bool SecretProtected);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Delivering event {EventId} to {Subscriber} (attempt {Attempt}) failed unexpectedly; it is due again when its lease ends")]
    private static partial void LogDeliveryCrashed(ILogger logger, Exception error, Guid eventId, string subscriber, int attempt);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The outcome of delivering event {EventId} to {Subscriber} (attempt {Attempt}) was not recorded; it is due again when its lease ends")]
    private static partial void LogOutcomeNotRecorded(ILogger logger, Exception error, Guid eventId, string subscriber, int attempt);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Delivery of event {EventId} to {Subscriber} failed (attempt {Attempt}, dead-lettered: {DeadLettered}): {Error}")]
    private static partial void LogDeliveryFailed(ILogger logger, Guid eventId, string subscriber, int attempt, bool deadLettered, string error);
}
