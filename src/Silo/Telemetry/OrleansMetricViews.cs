using OpenTelemetry.Metrics;

namespace FurnitureOps.Silo.Telemetry;

/// <summary>
/// Shapes Orleans' own meters for Prometheus, whose conventions <c>promtool check metrics</c> enforces: every
/// metric gets help text, and instruments in units Prometheus rejects (milliseconds, megabytes — not rescalable
/// by a view) are left out, and the message-size histograms, whose labels are camelCase, lose their labels.
/// </summary>
public static class OrleansMetricViews
{
    public const string MeterPrefix = "Microsoft.Orleans";

    private static readonly HashSet<string> NonBaseUnits = new(StringComparer.Ordinal) { "ms", "MB" };

    public static MeterProviderBuilder AddOrleansMetrics(this MeterProviderBuilder metrics) =>
        metrics.AddMeter(MeterPrefix).AddView(instrument =>
        {
            if (!instrument.Meter.Name.StartsWith(MeterPrefix, StringComparison.Ordinal))
            {
                return null;
            }

            if (instrument.Unit is { } unit && NonBaseUnits.Contains(unit))
            {
                return MetricStreamConfiguration.Drop;
            }

            var description = string.IsNullOrEmpty(instrument.Description) ? $"Orleans {instrument.Name.Replace('-', ' ')}." : instrument.Description;
            var camelCaseLabels = instrument.Name.Contains("messages-size", StringComparison.Ordinal) ||
                instrument.Name.Contains("messages.size", StringComparison.Ordinal);
            return camelCaseLabels
                ? new MetricStreamConfiguration { Description = description, TagKeys = [] }
                : new MetricStreamConfiguration { Description = description };
        });
}
