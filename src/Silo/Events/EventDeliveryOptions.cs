using System.ComponentModel.DataAnnotations;
using FurnitureOps.Grains;

namespace FurnitureOps.Silo.Events;

/// <summary>The outbox relay and the delivery dispatcher (configuration section <c>Events</c>).</summary>
public sealed class EventDeliveryOptions
{
    /// <summary>Runs the relay and the dispatcher on this silo. Every silo may run them; they coordinate in PostgreSQL.</summary>
    public bool RelayEnabled { get; set; } = true;

    /// <summary>How long the relay and the dispatcher wait when they found nothing to do.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Outbox rows published per transaction.</summary>
    [Range(1, 10_000)]
    public int PublishBatchSize { get; set; } = 500;

    /// <summary>Attempts to publish an outbox row (it is malformed if it keeps failing) before it is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxPublishAttempts { get; set; } = 5;

    /// <summary>Internal consumers' deliveries claimed per round by one dispatcher, and the most webhook deliveries claimed at once.</summary>
    [Range(1, 1_000)]
    public int DeliveryBatchSize { get; set; } = 50;

    /// <summary>Webhook deliveries one dispatcher makes at the same time.</summary>
    [Range(1, 256)]
    public int DeliveryConcurrency { get; set; } = 8;

    /// <summary>
    /// Of those, how many may go to one subscriber, so a slow receiver holds at most this many of a
    /// dispatcher's slots; at most <see cref="DeliveryConcurrency"/>. Per silo: with several silos a subscriber
    /// may receive this many from each.
    /// </summary>
    [Range(1, 256)]
    public int DeliveriesPerSubscriber { get; set; } = 2;

    /// <summary>Attempts of one delivery (a webhook answering non-2xx or timing out) before it is dead-lettered.</summary>
    [Range(1, 100)]
    public int MaxDeliveryAttempts { get; set; } = 10;

    /// <summary>Wait before the second attempt; doubles after each failure, with jitter, up to <see cref="MaxBackoff"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How long a claimed delivery is reserved for the dispatcher that claimed it. If that silo dies mid-attempt
    /// the delivery becomes due again after the lease; it must be longer than <see cref="WebhookTimeout"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest a webhook may take to answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan WebhookTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the backlog gauges (outbox depth, pending and dead deliveries) and intake's backlog are sampled.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan BacklogSampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Delivered rows older than this are deleted from <c>event_deliveries</c> (the outbox keeps every event).</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan DeliveredRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The backoff before attempt <paramref name="attempt"/> + 1 (the system's one <see cref="RetryBackoff"/>).</summary>
    public TimeSpan BackoffAfter(int attempt) => RetryBackoff.After(attempt, InitialBackoff, MaxBackoff);
}
