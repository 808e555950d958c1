using Orleans.Dashboard;
using System.Security.Cryptography;
using System.Text;

namespace FurnitureOps.Silo;

/// <summary>Credentials for the Orleans dashboard outside Development (configuration section <c>Dashboard</c>).</summary>
public sealed class DashboardCredentials
{
    public string? Username { get; set; }

    /// <summary>A secret: from the environment or a secret store.</summary>
    public string? Password { get; set; }

    public bool HasCredentials => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);
}

/// <summary>
/// The Orleans dashboard at <c>/dashboard</c> on the operations endpoint: open in Development; elsewhere behind
/// HTTP Basic with <c>Dashboard:Username</c>/<c>Dashboard:Password</c> (compared in constant time), and not served
/// at all when those are not configured.
/// </summary>
public static class DashboardAccess
{
    public const string Path = "/dashboard";

    /// <summary>How often the dashboard samples Orleans' meters unless <c>Dashboard:CounterUpdateIntervalMs</c> says otherwise.</summary>
    public const int DefaultCounterUpdateIntervalMs = 10_000;

    public static WebApplication MapProtectedDashboard(this WebApplication app)
    {
        var options = app.Configuration.GetSection("Dashboard").Get<DashboardCredentials>() ?? new DashboardCredentials();
        if (!app.Environment.IsDevelopment())
        {
            if (!options.HasCredentials)
            {
                return app; // no credentials, no dashboard
            }

            app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch => branch.Use(async (context, next) =>
            {
                if (Authorized(context.Request, options))
                {
                    await next(context);
                    return;
                }

                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"orleans-dashboard\"";
            }));
        }

        app.MapOrleansDashboard(routePrefix: Path);
        return app;
    }

    private static bool Authorized(HttpRequest request, DashboardCredentials options)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string offered;
        try
        {
            offered = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(offered)),
            SHA256.HashData(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}")));
    }
}
