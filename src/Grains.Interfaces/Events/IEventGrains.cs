using FurnitureOps.Grains.Interfaces.Ledger;

namespace FurnitureOps.Grains.Interfaces.Events;

/// <summary>The pull feed and the dead letters of one tenant's events (a stateless worker; use key 0).</summary>
[Alias("fo.IEventFeedGrain")]
public interface IEventFeedGrain : IGrainWithIntegerKey
{
    /// <summary>Published events of the tenant with position greater than <paramref name="after"/>, in position order.</summary>
    [Alias("ReadAsync")]
    Task<IReadOnlyList<FeedEvent>> ReadAsync(string tenantId, long after, int limit);

    /// <summary>The tenant's dead letters, oldest first.</summary>
    [Alias("DeadLettersAsync")]
    Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(string tenantId, int limit);

    /// <summary>Puts a dead letter back in line with fresh attempts; false if the tenant has no such dead letter.</summary>
    [Alias("RetryDeadLetterAsync")]
    Task<bool> RetryDeadLetterAsync(string tenantId, string deadLetterId);

    /// <summary>
    /// Puts every dead delivery of the tenant to <paramref name="subscriber"/> (a <see cref="DeadLetter.Subscriber"/>)
    /// back in line with fresh attempts, in one statement; answers how many.
    /// </summary>
    [Alias("RetrySubscriberDeadLettersAsync")]
    Task<int> RetrySubscriberDeadLettersAsync(string tenantId, string subscriber);
}

/// <summary>Webhook subscriptions of one tenant (a stateless worker; use key 0).</summary>
[Alias("fo.IWebhookRegistryGrain")]
public interface IWebhookRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Registers the webhook once per idempotency key: a retry answers the same subscription
    /// (<see cref="IdempotencyStatus.Replayed"/>), another registration under the key is <see cref="IdempotencyStatus.KeyReused"/>.
    /// </summary>
    [Alias("RegisterAsync")]
    Task<CommandOutcome<WebhookSubscription>> RegisterAsync(string tenantId, WebhookRegistration registration, CommandContext context);

    /// <summary>The tenant's live subscriptions, oldest first.</summary>
    [Alias("ListAsync")]
    Task<IReadOnlyList<WebhookSubscription>> ListAsync(string tenantId);

    /// <summary>Stops deliveries to the subscription (pending ones are cancelled); false if there is no such live subscription.</summary>
    [Alias("DeleteAsync")]
    Task<bool> DeleteAsync(string tenantId, Guid subscriptionId);
}

/// <summary>Reorder points and the low-stock projection of one tenant (a stateless worker; use key 0).</summary>
[Alias("fo.IStockAlertsGrain")]
public interface IStockAlertsGrain : IGrainWithIntegerKey
{
    /// <summary>Sets (or replaces) the SKU's reorder point; answers its status.</summary>
    [Alias("SetReorderPointAsync")]
    Task<StockAlertStatus> SetReorderPointAsync(string tenantId, string sku, long reorderPoint, string actor);

    /// <summary>SKUs with a reorder point, lowest stock first; only those at or below it when <paramref name="lowOnly"/>.</summary>
    [Alias("ListAsync")]
    Task<IReadOnlyList<StockAlertStatus>> ListAsync(string tenantId, bool lowOnly);
}
