using System.Net;
using FurnitureOps.Grains;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace FurnitureOps.Silo;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Makes this host an Orleans silo that joins the cluster through the PostgreSQL membership table,
    /// with the grains' services and the idempotency janitor.
    /// </summary>
    public static WebApplicationBuilder AddFurnitureOpsSilo(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required.");

        builder.Services.AddOptions<ClusterEndpointOptions>()
            .BindConfiguration("Orleans")
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var endpoint = builder.Configuration.GetSection("Orleans").Get<ClusterEndpointOptions>() ?? new();

        builder.Services.AddFurnitureOpsGrains(connectionString);
        builder.Services.AddHostedService<IdempotencyJanitor>();
        builder.Services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = endpoint.ClusterId;
                options.ServiceId = endpoint.ServiceId;
            });
            silo.UseAdoNetClustering(options =>
            {
                options.Invariant = "Npgsql";
                options.ConnectionString = connectionString;
            });
            silo.ConfigureEndpoints(IPAddress.Parse(endpoint.AdvertisedIP), endpoint.SiloPort, endpoint.GatewayPort);
        });

        return builder;
    }
}
