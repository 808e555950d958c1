using FurnitureOps.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>A real silo, built by the silo's own hosting code, on loopback ports of its own.</summary>
public static class SiloHost
{
    public static async Task<WebApplication> StartAsync(
        string connectionString, string clusterId, ILoggerProvider? logs = null, Action<IServiceCollection>? services = null,
        string environment = "Development", IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environment });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:SiloPort"] = Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Loyalty:AccrualRetryPeriod"] = "00:00:01",
            ["Pos:RetryPeriod"] = "00:00:01",
            ["Sagas:SweepInterval"] = "00:00:00.200",
            ["Holds:StepRetryPeriod"] = "00:00:01",
            ["Pos:MaxRetryBackoff"] = "00:00:02",

            // Event delivery at test speed: short polls and backoffs, few attempts before a dead letter.
            ["Events:PollInterval"] = "00:00:00.050",
            ["Events:InitialBackoff"] = "00:00:00.100",
            ["Events:MaxBackoff"] = "00:00:00.500",
            ["Events:MaxDeliveryAttempts"] = "4",
            ["Events:MaxPublishAttempts"] = "3",
            ["Events:BacklogSampleInterval"] = "00:00:00.200",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddFurnitureOpsSilo();
        if (logs is not null)
        {
            builder.Services.AddSingleton(logs); // Serilog forwards every (redacted) event to registered providers
        }

        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapOperationsEndpoints();
        await app.StartAsync();
        return app;
    }
}
