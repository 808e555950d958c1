using System.Net;
using FurnitureOps.Grains;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Loyalty;
using FurnitureOps.Grains.Sagas;
using FurnitureOps.Grains.Storage;
using FurnitureOps.ServiceDefaults;
using FurnitureOps.Silo.Events;
using FurnitureOps.Silo.Inventory;
using FurnitureOps.Silo.Loyalty;
using FurnitureOps.Silo.Sagas;
using FurnitureOps.Silo.Telemetry;
using Microsoft.Extensions.Options;

using Orleans.Configuration;
using Orleans.Dashboard;

namespace FurnitureOps.Silo;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Makes this host an Orleans silo that joins the cluster through the PostgreSQL membership table, with the
    /// grains' services, the sagas' sweeper, the holds' expiry sweepers, the idempotency janitor and event delivery (outbox relay, webhooks,
    /// internal consumers). Orleans' providers share one pool of <c>Storage:Connections:Orleans</c> connections
    /// (one connection string for all of them).
    /// </summary>
    public static WebApplicationBuilder AddFurnitureOpsSilo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ClusterEndpointOptions>()
            .BindConfiguration("Orleans")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddFurnitureOpsGrains();
        builder.Services.AddHostedService<ExpiryJanitor>();
        builder.Services.AddOptions<SagaOptions>().BindConfiguration("Sagas").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<SagaSweeper>();
        builder.Services.AddHostedService<LegacySagaImport>();
        builder.Services.AddOptions<ReservationOptions>().BindConfiguration("Reservations").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<ReservationExpirySweeper>();
        builder.Services.AddOptions<PointsHoldOptions>().BindConfiguration("PointsHolds").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<PointsHoldExpirySweeper>();
        builder.Services.AddEventDelivery();
        builder.AddFurnitureOpsLogging();
        builder.AddGracefulShutdown();
        builder.Services.AddSiloHealthChecks();
        builder.AddSiloTelemetry();

        builder.UseOrleans(silo =>
        {
            silo.Services.AddOptions<ClusterOptions>().Configure(ClusterDefaults.Apply).BindConfiguration("Orleans");
            silo.Services.AddOptions<SiloMessagingOptions>().Configure(ClusterDefaults.Apply).BindConfiguration("Orleans:Messaging");

            // Failure detection (probe timeout, missed probes, votes) keeps Orleans' defaults unless configured.
            silo.Services.AddOptions<ClusterMembershipOptions>().BindConfiguration("Orleans:Membership");
            silo.Services.AddOptions<EndpointOptions>().Configure<IOptions<ClusterEndpointOptions>>((endpoints, configured) =>
            {
                endpoints.AdvertisedIPAddress = IPAddress.Parse(configured.Value.AdvertisedIP);
                endpoints.SiloPort = configured.Value.SiloPort;
                endpoints.GatewayPort = configured.Value.GatewayPort;
            });
            silo.AddActivityPropagation();
            silo.AddDashboard();

            // The dashboard samples every Orleans meter on its own timer, and some instruments (the grain directory
            // cache size) walk a structure that grows with the activations: at its 1 s default that was 3–4 % of a
            // busy silo's CPU. Its charts refresh every 10 s instead unless Dashboard:CounterUpdateIntervalMs says.
            silo.Services.AddOptions<DashboardOptions>()
                .Configure(dashboard => dashboard.CounterUpdateIntervalMs = DashboardAccess.DefaultCounterUpdateIntervalMs)
                .BindConfiguration("Dashboard");
            silo.UseAdoNetClustering(options => options.Configure<PostgresConnections>((clustering, connections) =>
            {
                clustering.Invariant = "Npgsql";
                clustering.ConnectionString = connections.ConnectionString(PostgresConnections.Orleans);
            }));
            // Only to carry over sagas that releases before the saga tables kept in grain storage (LegacySagaStorage).
            foreach (var storageName in new[] { LegacySagaStorage.PosEvents.Provider, LegacySagaStorage.Slips.Provider })
            {
                silo.AddAdoNetGrainStorage(storageName, options => options.Configure<PostgresConnections>((storage, connections) =>
                {
                    storage.Invariant = "Npgsql";
                    storage.ConnectionString = connections.ConnectionString(PostgresConnections.Orleans);
                }));
            }

            // Only to remove reminders that releases before the saga tables registered (LegacyReminders).
            silo.UseAdoNetReminderService(options => options.Configure<PostgresConnections>((reminders, connections) =>
            {
                reminders.Invariant = "Npgsql";
                reminders.ConnectionString = connections.ConnectionString(PostgresConnections.Orleans);
            }));
        });

        return builder;
    }
}
