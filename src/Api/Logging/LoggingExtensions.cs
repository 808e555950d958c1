using Serilog;
using Serilog.Formatting.Compact;

namespace FurnitureOps.Api.Logging;

public static class LoggingExtensions
{
    /// <summary>
    /// Serilog for the API: levels per namespace from the <c>Serilog</c> section, JSON lines outside Development,
    /// readable console in Development, request scope (request id) on every line, and every event redacted
    /// before any sink — including the Microsoft logging providers it forwards to.
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
                logger.WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext} {RequestId} {Message:lj}{NewLine}{Exception}");
            }
            else
            {
                logger.WriteTo.Console(new RenderedCompactJsonFormatter());
            }
        }, writeToProviders: true);
        return builder;
    }
}
