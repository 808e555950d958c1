using System.Text.Json.Serialization;
using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Cluster;
using FurnitureOps.Api.OperatorConsole;
using FurnitureOps.Api.Events;
using FurnitureOps.Api.Health;
using FurnitureOps.Api.Http;
using FurnitureOps.Api.Loyalty;
using FurnitureOps.ServiceDefaults;
using FurnitureOps.Api.RateLimiting;
using FurnitureOps.Api.Telemetry;
using Microsoft.AspNetCore.Http.Json;

namespace FurnitureOps.Api;

public static class ApiHostingExtensions
{
    /// <summary>Request bodies larger than this are refused with 413 before they are read.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>No request body of this API nests deeper than a few levels; deeper input is refused early.</summary>
    public const int MaxJsonDepth = 16;

    /// <summary>Everything the API host needs: HTTP conventions, auth, and the Orleans cluster client.</summary>
    public static WebApplicationBuilder AddFurnitureOpsApi(this WebApplicationBuilder builder)
    {
        builder.AddFurnitureOpsLogging();
        builder.AddGracefulShutdown();
        builder.AddApiTelemetry();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            kestrel.Limits.MaxRequestHeaderCount = 64;
            kestrel.Limits.MaxRequestLineSize = 8 * 1024;
        });

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = ProblemDefaults.Apply);
        builder.Services.AddExceptionHandler<ExceptionProblems>();
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.Configure<JsonOptions>(options =>
        {
            // Strict input: unknown members and numbers-as-strings are errors, not silently accepted.
            options.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            options.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            options.SerializerOptions.MaxDepth = MaxJsonDepth;
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
        });
        builder.Services.AddValidation();
        builder.Services.AddOpenApi();
        builder.Services.AddApiHealthChecks();

        builder.Services.AddFurnitureOpsAuth();
        builder.Services.AddOptions<LoyaltyApiOptions>().BindConfiguration("Loyalty").ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration("Webhooks")
            .Configure<IHostEnvironment>((options, environment) => options.AllowInsecureUrls |= environment.IsDevelopment());
        builder.Services.AddWebhookDestinations();
        builder.Services.AddFurnitureOpsRateLimits();
        builder.Services.AddOperatorConsole();
        builder.AddFurnitureOpsClusterClient();
        return builder;
    }
}
