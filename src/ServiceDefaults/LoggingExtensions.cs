using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Formatting.Compact;

namespace FurnitureOps.ServiceDefaults;

public static class LoggingExtensions
{
    /// <summary>Log events the console's background writer holds at most before it drops new ones.</summary>
    private const int ConsoleBuffer = 50_000;

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

            // The console is written from a background thread: a request never waits on a slow stdout reader (a
            // busy node's log collector). A full buffer drops lines rather than stalling requests; the logger
            // flushes what it holds when the host stops.
            logger.WriteTo.Async(console =>
            {
                if (development)
                {
                    console.Console(outputTemplate:
                        "{Timestamp:HH:mm:ss.fff} {Level:u3} {SourceContext} req={RequestId} trace={TraceId} {Message:lj}{NewLine}{Exception}");
                }
                else
                {
                    console.Console(new RenderedCompactJsonFormatter());
                }
            }, bufferSize: ConsoleBuffer, blockWhenFull: false);
        }, preserveStaticLogger: true, writeToProviders: true); // each host its own pipeline, even several in one process
        return builder;
    }
}
