namespace FurnitureOps.Grains.Interfaces.Events;

/// <summary>One published event as the pull feed returns it; <see cref="DataJson"/> is the event's data object.</summary>
[GenerateSerializer, Immutable, Alias("fo.feed-event")]
public sealed record FeedEvent(
    long Position,
    Guid EventId,
    string Type,
    string TenantId,
    DateTimeOffset OccurredAt,
    string RequestId,
    string AggregateType,
    string AggregateId,
    long AggregateVersion,
    string DataJson);

/// <summary>
/// Something that could not be published or delivered and waits for an operator. <c>Id</c> is
/// <c>outbox:{id}</c> for an event that could not be published and <c>delivery:{id}</c> for a delivery that
/// exhausted its attempts (then <c>Subscriber</c> says to whom).
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.dead-letter")]
public sealed record DeadLetter(
    string Id,
    Guid EventId,
    string EventType,
    string? Subscriber,
    int Attempts,
    string? LastError,
    DateTimeOffset OccurredAt);

/// <summary>A webhook registration request (validated by the API).</summary>
[GenerateSerializer, Immutable, Alias("fo.webhook-registration")]
public sealed record WebhookRegistration(string Url, IReadOnlyList<string> EventTypes, string Secret);

/// <summary>A webhook subscription as seen from outside; its secret is never shown again.</summary>
[GenerateSerializer, Immutable, Alias("fo.webhook-subscription")]
public sealed record WebhookSubscription(Guid Id, string Url, IReadOnlyList<string> EventTypes, string CreatedBy, DateTimeOffset CreatedAt);

/// <summary>A SKU's reorder point and what the low-stock projection knows about it.</summary>
[GenerateSerializer, Immutable, Alias("fo.stock-alert-status")]
public sealed record StockAlertStatus(
    string Sku,
    long ReorderPoint,
    long? OnHand,
    bool Low,
    DateTimeOffset? LastAlertAt);
