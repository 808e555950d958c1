using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>The API's own Program on real Kestrel (127.0.0.1, a free port), configured by settings.</summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly ILoggerProvider? _logs;
    private readonly Action<IServiceCollection>? _services;
    private readonly string _environment;

    public ApiFactory(IReadOnlyDictionary<string, string?> settings, ILoggerProvider? logs = null, Action<IServiceCollection>? services = null,
        string environment = "Development")
    {
        _settings = settings;
        _environment = environment;
        _logs = logs;
        _services = services;
        UseKestrel(0);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        if (_logs is not null)
        {
            builder.ConfigureServices(services => services.AddSingleton(_logs));
        }

        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }
}
