using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Formatting.Compact;

namespace FurnitureOps.ServiceDefaults;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog for both hosts: levels per namespace from the <c>Serilog</c> section, JSON lines outside Development
    /// (with trace and span ids), a readable console in Development, log scopes (request id, grain) on every line,
    /// and every event redacted before any sink — including the Microsoft logging providers it forwards to.
    /// </summary>
    public static WebApplicationBuilder AddFurnitureOpsLogging(this WebApplicationBuilder builder)
    {
        var development = builder.Environment.IsDevelopment();

        // Serilog writes to the console itself and then to whatever providers remain (a test's capture).
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog((_, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                .Enrich.With<RedactingEnricher>();
            if (development)
            {
                logger.WriteTo.Console(outputTemplate:
                    "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext} req={RequestId} trace={TraceId} {Message:lj}{NewLine}{Exception}");
            }
            else
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
        }, preserveStaticLogger: true, writeToProviders: true); // each host its own pipeline, even several in one process
        return builder;
    }
}
