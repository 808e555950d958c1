using Serilog.Core;
using Serilog.Events;

namespace FurnitureOps.ServiceDefaults;

/// <summary>
/// Masks secrets and personal data in every property of every log event (nested structures included) before any
/// sink sees it; the rendered message is built from these properties, so it is masked too.
/// </summary>
public sealed class RedactingEnricher : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties.ToList())
        {
            var redacted = LogRedaction.IsSensitiveName(name) ? new ScalarValue(LogRedaction.Mask) : Redact(value);
            if (!ReferenceEquals(redacted, value))
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, redacted));
            }
        }
    }

    private static LogEventPropertyValue Redact(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string text } when LogRedaction.Redact(text) is var masked && masked != text => new ScalarValue(masked),
        ScalarValue { Value: Uri uri } when LogRedaction.Redact(uri.ToString()) is var masked && masked != uri.ToString() => new ScalarValue(masked),
        SequenceValue sequence => new SequenceValue(sequence.Elements.Select(Redact)),
        StructureValue structure => new StructureValue(
            structure.Properties.Select(p => new LogEventProperty(p.Name,
                LogRedaction.IsSensitiveName(p.Name) ? new ScalarValue(LogRedaction.Mask) : Redact(p.Value))),
            structure.TypeTag),
        DictionaryValue dictionary => new DictionaryValue(dictionary.Elements.Select(pair =>
            new KeyValuePair<ScalarValue, LogEventPropertyValue>(pair.Key,
                pair.Key.Value is string key && LogRedaction.IsSensitiveName(key) ? new ScalarValue(LogRedaction.Mask) : Redact(pair.Value)))),
        _ => value,
    };
}
