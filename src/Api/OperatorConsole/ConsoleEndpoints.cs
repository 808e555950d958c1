using System.Text.Json;
using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Loyalty;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace FurnitureOps.Api.OperatorConsole;

/// <summary>
/// Serves the operator console: static files from the build output's <c>console/</c> folder (its own scripts,
/// and the libraries <c>FurnitureOps.Api.csproj</c> copies to <c>console/assets/vendor/</c> from
/// <c>OperatorConsole/package-lock.json</c>), the
/// page itself for every deep link, and <c>config.json</c>. The console holds no privilege: every action it
/// offers is a call to the public API with the signed-in person's token.
/// </summary>
public static class ConsoleEndpoints
{
    public const string BasePath = "/console";

    private const string AssetsPath = BasePath + "/assets/";

    public static IServiceCollection AddOperatorConsole(this IServiceCollection services)
    {
        services.AddOptions<ConsoleOptions>().BindConfiguration("Console").ValidateDataAnnotations().ValidateOnStart();
        return services;
    }

    /// <summary>
    /// Ahead of the cluster gate and authentication: the page must load (and say what is wrong) while the cluster
    /// is unavailable, and none of it needs a token.
    /// </summary>
    public static WebApplication UseOperatorConsole(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ConsoleOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        var files = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "console"));
        var auth = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var headers = ConsoleSecurityHeaders.For(auth.Authority);
        var settings = ConsoleSettings.From(auth, options, app.Services.GetRequiredService<IOptions<LoyaltyApiOptions>>().Value);
        var json = app.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

        app.UseWhen(context => context.Request.Path.StartsWithSegments(BasePath), console =>
        {
            console.Use((context, next) =>
            {
                headers.Apply(context.Response.Headers);
                var path = context.Request.Path.Value!;
                if (path == BasePath)
                {
                    context.Response.Redirect($"{BasePath}/");
                    return Task.CompletedTask;
                }

                if (path == $"{BasePath}/config.json")
                {
                    return Results.Json(settings, json).ExecuteAsync(context);
                }

                // Files live under /console/assets/ (a missing one is a 404); every other path is a deep link
                // (/console/skus/OAK.CHAIR-1) and gets the page, whose script reads the path.
                if (!path.StartsWith(AssetsPath, StringComparison.Ordinal))
                {
                    context.Request.Path = $"{BasePath}/index.html";
                }

                return next(context);
            });
            console.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                RequestPath = BasePath,

                // Not fingerprinted, so every load revalidates (a 304 when unchanged) and an upgrade shows at once.
                OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
            });
        });
        return app;
    }
}
