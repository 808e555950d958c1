using FurnitureOps.ServiceDefaults;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace FurnitureOps.Api.Telemetry;

public static class ApiTelemetryExtensions
{
    /// <summary>Request-duration buckets suited to SLAs: 5 ms up to 10 s.</summary>
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>
    /// OpenTelemetry for the API: HTTP request durations by route, method and status, rate limiting, build info
    /// and the runtime's meter, scraped at <c>/metrics</c> (Orleans' own meters are exported by the silos);
    /// traces from the HTTP request into the grain call, exported over OTLP when
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set and not recorded at all when it is not.
    /// </summary>
    public static WebApplicationBuilder AddApiTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("furnitureops-api"))
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddMeter(ApiMetrics.MeterName)
                    .AddRuntimeMetrics()
                    .AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration { Boundaries = DurationBuckets })
                    .AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation()
                    .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application");
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
