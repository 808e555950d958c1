using FurnitureOps.Grains.Interfaces;
using Orleans.Configuration;

namespace FurnitureOps.Api.Cluster;

public static class OrleansClientExtensions
{
    /// <summary>
    /// Makes the API an Orleans client that finds gateways in the PostgreSQL membership table, started in the
    /// background by <see cref="ClusterClientStarter"/> rather than by the host.
    /// </summary>
    public static WebApplicationBuilder AddFurnitureOpsClusterClient(this WebApplicationBuilder builder)
    {
        var connection = new ClusterConnection();
        builder.Services.AddSingleton(connection);
        var hostedBefore = builder.Services.Where(service => service.ServiceType == typeof(IHostedService)).ToHashSet();

        builder.UseOrleansClient(client =>
        {
            client.Services.AddOptions<ClusterOptions>().Configure(ClusterDefaults.Apply).BindConfiguration("Orleans");
            client.Services.AddOptions<ClientMessagingOptions>().Configure(ClusterDefaults.Apply).BindConfiguration("Orleans:Messaging");
            client.Services.AddOptions<GatewayOptions>().Configure(ClusterDefaults.Apply).BindConfiguration("Orleans:Gateway");
            client.UseAdoNetClustering(options => options.Configure<IConfiguration>((clustering, configuration) =>
            {
                clustering.Invariant = "Npgsql";
                clustering.ConnectionString = MembershipConnectionString(configuration);
            }));
            client.UseConnectionRetryFilter<RetryForeverConnectionFilter>();
            client.AddActivityPropagation();
            client.AddClusterConnectionStatusObserver(connection);
        });

        // The client registers itself as a hosted service, which would hold host start-up until a silo
        // answers; take that registration out and let ClusterClientStarter start it instead.
        foreach (var added in builder.Services.Where(service => service.ServiceType == typeof(IHostedService) && !hostedBefore.Contains(service)).ToList())
        {
            builder.Services.Remove(added);
        }

        builder.Services.AddHostedService<ClusterClientStarter>();

        return builder;
    }

    /// <summary>
    /// The API's only PostgreSQL use is reading the gateway list from the membership table: a pool of
    /// <c>Storage:Connections:Orleans</c> connections (default 2), so API instances count for little in the
    /// cluster's connection budget (docs/operations.md).
    /// </summary>
    public static string MembershipConnectionString(IConfiguration configuration)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("ConnectionStrings:Postgres is required."))
        {
            MaxPoolSize = configuration.GetValue("Storage:Connections:Orleans", DefaultConnections),
        };
        builder.MinPoolSize = Math.Min(builder.MinPoolSize, builder.MaxPoolSize);
        builder.ApplicationName = $"{builder.ApplicationName ?? "furnitureops"}/api";
        return builder.ConnectionString;
    }

    private const int DefaultConnections = 2;

    /// <summary>
    /// Answers 503 <c>cluster_unavailable</c> on the business API until the client has first reached the cluster.
    /// Later outages surface from the grain calls themselves (mapped to 503 by <c>ExceptionProblems</c>).
    /// </summary>
    public static IApplicationBuilder UseClusterAvailabilityGate(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/v1"),
            branch => branch.Use(async (context, next) =>
            {
                if (context.RequestServices.GetRequiredService<ClusterConnection>().IsStarted)
                {
                    await next(context);
                    return;
                }

                await Http.ServiceUnavailable.WriteAsync(context, Http.ProblemCodes.ClusterUnavailable,
                    "No silo is reachable yet; retry shortly.");
            }));
}
