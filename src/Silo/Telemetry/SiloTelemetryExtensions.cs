using FurnitureOps.Grains.Ledger;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FurnitureOps.Silo.Telemetry;

public static class SiloTelemetryExtensions
{
    /// <summary>
    /// OpenTelemetry for the silo: metrics (write path, event backlog and delivery, build info, Orleans' own)
    /// scraped at <c>/metrics</c>; traces of grain calls and their SQL, exported over OTLP only when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public static WebApplicationBuilder AddSiloTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("furnitureops-silo"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddMeter(LedgerMetrics.MeterName, SiloMetrics.MeterName)
                    .AddStorageConnectionMetrics()
                    .AddOrleansMetrics()
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation()
                    .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", LedgerMetrics.MeterName)
                    .AddNpgsql();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        return builder;
    }
}
