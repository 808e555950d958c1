using FurnitureOps.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FurnitureOps.Silo.Events;

public static class EventDeliveryExtensions
{
    /// <summary>
    /// Event delivery on this silo (configuration section <c>Events</c>): the outbox relay, the delivery
    /// dispatcher with its webhook sender and internal consumers, and the backlog monitor.
    /// </summary>
    public static IServiceCollection AddEventDelivery(this IServiceCollection services)
    {
        services.AddOptions<EventDeliveryOptions>()
            .BindConfiguration("Events")
            .ValidateDataAnnotations()
            .Validate(options => options.Lease > options.WebhookTimeout, "Events:Lease must be longer than Events:WebhookTimeout.")
            .Validate(options => options.DeliveriesPerSubscriber <= options.DeliveryConcurrency,
                "Events:DeliveriesPerSubscriber must be at most Events:DeliveryConcurrency.")
            .ValidateOnStart();
        services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigureHttpClient((provider, client) =>
                client.Timeout = provider.GetRequiredService<IOptions<EventDeliveryOptions>>().Value.WebhookTimeout)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectCallback = provider.GetRequiredService<WebhookDestinations>().ConnectAsync, // every connection, not only the first
            });
        services.AddWebhookDestinations();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<IEventConsumer, LowStockProjection>();
        services.AddSingleton<OutboxRelay>();
        services.AddSingleton<DeliveryDispatcher>();
        services.AddSingleton<EventBacklogMonitor>();
        services.AddHostedService(provider => provider.GetRequiredService<OutboxRelay>());
        services.AddHostedService(provider => provider.GetRequiredService<DeliveryDispatcher>());
        services.AddHostedService(provider => provider.GetRequiredService<EventBacklogMonitor>());
        return services;
    }
}
