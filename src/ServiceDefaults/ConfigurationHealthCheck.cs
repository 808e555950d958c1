using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace FurnitureOps.ServiceDefaults;

/// <summary>
/// Startup check: every listed options type binds and validates (resolving <c>IOptions&lt;T&gt;.Value</c> runs the
/// data-annotation and custom validators), so <c>/startupz</c> says which setting is wrong instead of a pod just failing.
/// </summary>
public sealed class ConfigurationHealthCheck(IServiceProvider services, IReadOnlyList<Type> optionsTypes) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var failures = new List<string>();
        foreach (var type in optionsTypes)
        {
            try
            {
                var options = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(type));
                _ = options.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(options);
            }
            catch (System.Reflection.TargetInvocationException error) when (error.InnerException is OptionsValidationException invalid)
            {
                failures.AddRange(invalid.Failures.Select(failure => $"{type.Name}: {failure}"));
            }
        }

        return Task.FromResult(failures.Count == 0
            ? HealthCheckResult.Healthy($"{optionsTypes.Count} settings groups valid.")
            : HealthCheckResult.Unhealthy(string.Join(" ", failures)));
    }
}

public static class ConfigurationHealthCheckExtensions
{
    /// <summary>Adds the <c>configuration</c> check over the given options types.</summary>
    public static IHealthChecksBuilder AddConfigurationCheck(this IHealthChecksBuilder builder, string[] tags, params Type[] optionsTypes) =>
        builder.Add(new HealthCheckRegistration("configuration",
            services => new ConfigurationHealthCheck(services, optionsTypes), HealthStatus.Unhealthy, tags));
}
