using FurnitureOps.Grains.Ledger;
using FurnitureOps.ServiceDefaults;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FurnitureOps.Silo.Telemetry;

public static class SiloTelemetryExtensions
{
    /// <summary>
    /// OpenTelemetry for the silo: metrics (write path, event backlog and delivery, build info, Orleans' own, the
    /// runtime's) scraped at <c>/metrics</c>; traces of grain calls and their SQL, exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set and not recorded at all when it is not.
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
                    .AddRuntimeMetrics()
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
                else
                {
                    // Nothing would export the spans, so none is recorded: building one per request, grain call and
                    // SQL command was cost for no one. ASP.NET Core still starts an unrecorded Activity per request,
                    // so log lines keep their trace ids.
                    tracing.SetSampler(new AlwaysOffSampler());
                }
            });
        return builder;
    }
}
