using FurnitureOps.Grains.Events;
using FurnitureOps.ServiceDefaults;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FurnitureOps.Silo.Events;

public static class EventDeliveryExtensions
{
    /// <summary>
    /// Event delivery on this silo (configuration section <c>Events</c>): the outbox relay, the delivery
    /// dispatcher with its webhook sender and internal consumers, the backlog monitor, and webhook secrets
    /// protected at rest (Data Protection, its key ring in PostgreSQL).
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
        services.AddDataProtection().SetApplicationName("FurnitureOps");
        services.AddOptions<KeyManagementOptions>()
            .Configure<NpgsqlDataSource>((keys, dataSource) => keys.XmlRepository = new PostgresKeyRing(dataSource));
        services.AddSingleton<IWebhookSecrets, WebhookSecrets>();
        services.AddHostedService<WebhookSecretProtection>();
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
