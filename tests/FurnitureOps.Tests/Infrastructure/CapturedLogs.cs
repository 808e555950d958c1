using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>A logger provider that keeps entries at or above a level, with the scope values active when they were written.</summary>
public sealed class CapturedLogs(LogLevel minimumLevel = LogLevel.Warning) : ILoggerProvider, ISupportExternalScope
{
    private readonly LogLevel _minimumLevel = minimumLevel;
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public sealed record Entry(string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> Scope);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= owner._minimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var scope = new Dictionary<string, object?>();
            owner._scopes.ForEachScope((value, values) =>
            {
                if (value is IEnumerable<KeyValuePair<string, object>> pairs)
                {
                    foreach (var (key, item) in pairs)
                    {
                        values[key] = item;
                    }
                }
            }, scope);

            // Events forwarded by Serilog carry their properties (request id, grain, tenant) in the state itself.
            if (state is IEnumerable<KeyValuePair<string, object?>> properties)
            {
                foreach (var (name, value) in properties)
                {
                    scope[name] = value is Serilog.Events.ScalarValue scalar ? scalar.Value : value;
                }
            }

            owner.Entries.Enqueue(new Entry(category, logLevel, formatter(state, exception), scope));
        }
    }
}
