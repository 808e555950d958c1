using System.Diagnostics;
using FurnitureOps.Tests.Infrastructure;
using OpenTelemetry.Trace;

namespace FurnitureOps.Tests.Api;

/// <summary>One trace runs from the HTTP request through the grain call to the SQL, across API and silo.</summary>
[Collection(ApiDefinition.Name)]
public sealed class TraceContinuityTests(ApiFixture api)
{
    [Fact]
    public async Task ApiSpanGrainSpanAndNpgsqlSpanShareOneTraceId()
    {
        var apiSpans = new List<Activity>();
        var siloSpans = new List<Activity>();
        var clusterId = $"traces-{Guid.NewGuid():N}";
        var silo = await SiloHost.StartAsync(api.ConnectionString, clusterId,
            services: services => services.ConfigureOpenTelemetryTracerProvider(tracing => Export(tracing, siloSpans)));
        try
        {
            await using var instance = api.CreateApi(clusterId,
                services: services => services.ConfigureOpenTelemetryTracerProvider(tracing => Export(tracing, apiSpans)));
            await ApiFixture.WaitUntilReadyAsync(instance.CreateClient());
            var client = instance.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token($"t-{Guid.NewGuid():N}", []));
            var requestId = $"trace.{Guid.NewGuid():N}";
            client.DefaultRequestHeaders.Add("X-Request-ID", requestId);

            var response = await client.PostJsonAsync("/v1/inventory", new { sku = "TRACED-1", name = "n", onHand = 1 });

            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);

            // The server span ends (and is exported) just after the response is written, so the client can be first.
            await WaitUntilAsync(() => Snapshot(apiSpans).Any(span =>
                span.Kind == ActivityKind.Server && Equals(span.GetTagItem("http.request_id"), requestId)));
            var httpSpan = Assert.Single(Snapshot(apiSpans), span =>
                span.Kind == ActivityKind.Server && Equals(span.GetTagItem("http.request_id"), requestId));
            var trace = httpSpan.TraceId;
            Assert.Contains(Snapshot(apiSpans), span => span.TraceId == trace && span.Kind == ActivityKind.Client && span.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
            await WaitUntilAsync(() => Snapshot(siloSpans).Any(span => span.TraceId == trace && span.Source.Name == "Npgsql"));
            Assert.Contains(Snapshot(siloSpans), span => span.TraceId == trace && span.Kind == ActivityKind.Server && span.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal));
        }
        finally
        {
            await silo.StopAsync();
            await silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task WithoutAnExporterNoSpanIsRecorded()
    {
        // No OTLP endpoint in the fixture: the API samples nothing, so a listener added later sees no span.
        var spans = new List<Activity>();
        var instance = api.CreateApi(api.ClusterId,
            services: services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        try
        {
            var client = instance.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", api.Token($"t-{Guid.NewGuid():N}", []));
            await ApiFixture.WaitUntilReadyAsync(instance.CreateClient());

            var response = await client.PostJsonAsync("/v1/inventory", new { sku = "UNTRACED-1", name = "n", onHand = 1 });

            Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        }
        finally
        {
            await instance.DisposeAsync(); // waits for the request to end: any span it recorded is exported by now
        }

        Assert.Empty(Snapshot(spans));
    }

    // What an OTLP endpoint turns on (the SDK's default sampler), with the spans kept in memory instead.
    private static void Export(TracerProviderBuilder tracing, List<Activity> spans) =>
        tracing.SetSampler(new ParentBasedSampler(new AlwaysOnSampler())).AddInMemoryExporter(spans);

    // The exporter appends from whichever thread ends a span (one at a time: its processor serialises exports);
    // ToArray copies without the enumerator's modification check, so reading meanwhile cannot throw.
    private static Activity[] Snapshot(List<Activity> spans) => spans.ToArray();

    // Spans are exported when they end, which may be a moment after the HTTP response.
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
