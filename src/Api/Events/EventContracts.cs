using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using FurnitureOps.Grains.Interfaces.Events;

namespace FurnitureOps.Api.Events;

/// <summary>
/// An event as the feed returns it; the same members as a webhook delivery's body. Consumers must ignore
/// members they do not know: new ones may be added to any version of an event.
/// </summary>
public sealed record EventResponse(
    Guid EventId, string Type, string TenantId, DateTimeOffset OccurredAt, string RequestId, long Position,
    EventAggregate Aggregate, JsonElement Data)
{
    public static EventResponse From(FeedEvent published) => new(
        published.EventId, published.Type, published.TenantId, published.OccurredAt, published.RequestId, published.Position,
        new EventAggregate(published.AggregateType, published.AggregateId, published.AggregateVersion),
        JsonDocument.Parse(published.DataJson).RootElement.Clone());
}

public sealed record EventAggregate(string Type, string Id, long Version);

/// <summary>A page of the feed; poll again with <c>after={next}</c>. <c>next</c> is unchanged when nothing new arrived.</summary>
public sealed record EventPage(IReadOnlyList<EventResponse> Events, string Next);

public sealed record RegisterWebhookRequest(
    [Required, StringLength(2048, MinimumLength = 8)] string? Url,
    [MaxLength(WebhookLimits.MaxEventTypes)] IReadOnlyList<string>? EventTypes,
    [Required, StringLength(256, MinimumLength = 32, ErrorMessage = "secret must be 32-256 characters.")] string? Secret);

public static class WebhookLimits
{
    public const int MaxEventTypes = 50;

    /// <summary>An exact versioned type ("inventory.sold.v1"), a prefix ("inventory.*") or "*".</summary>
    public const string EventTypePattern = @"^(\*|[a-z][a-z_]*(\.[a-z][a-z_]*)*\.(v[0-9]+|\*))$";

    /// <summary>Whom a delivery is for: <c>webhook:{subscription id}</c> or <c>consumer:{name}</c> (an internal consumer).</summary>
    public const string SubscriberPattern = "^(webhook|consumer):[A-Za-z0-9._-]{1,128}$";
}

public sealed record WebhookResponse(Guid Id, string Url, IReadOnlyList<string> EventTypes, string CreatedBy, DateTimeOffset CreatedAt)
{
    public static WebhookResponse From(WebhookSubscription subscription) => new(
        subscription.Id, subscription.Url, subscription.EventTypes, subscription.CreatedBy, subscription.CreatedAt);
}

public sealed record WebhookList(IReadOnlyList<WebhookResponse> Webhooks);

public sealed record DeadLetterList(IReadOnlyList<DeadLetter> DeadLetters);

/// <summary>Retry every dead delivery to one subscriber: a dead letter's <c>subscriber</c>.</summary>
public sealed record RetryDeadLettersRequest(
    [Required, RegularExpression(WebhookLimits.SubscriberPattern,
        ErrorMessage = "subscriber must be a dead letter's subscriber: webhook:{id} or consumer:{name}.")] string? Subscriber);

/// <summary>How many dead deliveries were put back in line (0 when the subscriber had none).</summary>
public sealed record DeadLettersRetried(int Retried);

public sealed record ReorderPointRequest([Required, Range(0, 1_000_000)] long? ReorderPoint);

public sealed record StockAlertList(IReadOnlyList<StockAlertStatus> Skus);
