using OpenTelemetry.Metrics;

namespace FurnitureOps.Silo.Telemetry;

/// <summary>
/// From Npgsql's meter, the one figure operations need beside the silo's own: connections per pool (one pool
/// per purpose of the connection budget), idle and used, as <c>storage_connections</c>. Npgsql's name for it,
/// <c>db.client.connection.count</c>, ends in <c>_count</c> in Prometheus, which its conventions keep for
/// histograms; its other instruments repeat what the write path already measures, so they are left out.
/// </summary>
public static class NpgsqlMetricViews
{
    private const string MeterName = "Npgsql";

    public static MeterProviderBuilder AddStorageConnectionMetrics(this MeterProviderBuilder metrics) =>
        metrics.AddMeter(MeterName).AddView(instrument => instrument.Meter.Name != MeterName
            ? null
            : instrument.Name == "db.client.connection.count"
                ? new MetricStreamConfiguration
                {
                    Name = "storage.connections",
                    Description = "PostgreSQL connections held, by pool (commit, grains, workers) and state (idle, used).",
                }
                : MetricStreamConfiguration.Drop);
}
