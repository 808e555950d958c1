using FurnitureOps.Grains.Interfaces;
using Orleans.Configuration;

namespace FurnitureOps.Api.Cluster;

public static class OrleansClientExtensions
{
    /// <summary>
    /// Makes the API an Orleans client that finds gateways in the PostgreSQL membership table. Hosted services
    /// start concurrently so Kestrel listens while the client is still looking for a silo.
    /// </summary>
    public static WebApplicationBuilder AddFurnitureOpsClusterClient(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<HostOptions>(options => options.ServicesStartConcurrently = true);
        builder.Services.AddSingleton<ClusterConnection>();
        builder.Services.AddSingleton<IClusterConnectionStatusObserver>(services => services.GetRequiredService<ClusterConnection>());

        builder.UseOrleansClient(client =>
        {
            client.Services.AddOptions<ClusterOptions>().Configure(ClusterDefaults.Apply).BindConfiguration("Orleans");
            client.UseAdoNetClustering(options => options.Configure<IConfiguration>((clustering, configuration) =>
            {
                clustering.Invariant = "Npgsql";
                clustering.ConnectionString = configuration.GetConnectionString("Postgres")
                    ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required.");
            }));
            client.Services.AddSingleton<IClientConnectionRetryFilter, RetryForeverConnectionFilter>();
        });

        return builder;
    }

    /// <summary>Answers 503 <c>cluster_unavailable</c> on the business API until the cluster is reachable.</summary>
    public static IApplicationBuilder UseClusterAvailabilityGate(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/v1"),
            branch => branch.Use(async (context, next) =>
            {
                if (context.RequestServices.GetRequiredService<ClusterConnection>().IsConnected)
                {
                    await next(context);
                    return;
                }

                await Http.ServiceUnavailable.WriteAsync(context, Http.ProblemCodes.ClusterUnavailable,
                    "No silo is reachable yet; retry shortly.");
            }));
}
