using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Http;
using FurnitureOps.Api.Loyalty;
using FurnitureOps.Grains.Interfaces.Security;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FurnitureOps.Api.RateLimiting;

/// <summary>
/// ASP.NET Core's rate limiter in front, rate-limit grains as the store: callers by client IP until they
/// authenticate, then by tenant + subject, and manual rewards per staff member. Refused requests get 429
/// <c>rate_limited</c> with <c>Retry-After</c> and never reach the idempotency layer.
/// </summary>
public static class RateLimitingExtensions
{
    public const string ManualRewards = "manual-rewards";

    public static IServiceCollection AddFurnitureOpsRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration("RateLimits").ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpContextAccessor();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<RateLimitOptions>>((forwarded, limits) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownIPNetworks.Clear(); // the defaults trust loopback; only configured proxies are trusted
            forwarded.KnownProxies.Clear();
            foreach (var proxy in limits.Value.TrustedProxies)
            {
                forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in limits.Value.TrustedNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });

        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                return context.User.Identity?.IsAuthenticated == true
                    ? Partition(context, "authenticated", $"user:{context.User.Tenant()}/{context.User.Actor()}", limits.Authenticated, limits)
                    : Partition(context, "anonymous", ClientAddress.Key(context.Connection.RemoteIpAddress), limits.Anonymous, limits);
            });
            options.AddPolicy(ManualRewards, context =>
            {
                // A caller without valid credentials has no staff budget to draw on: the global limiter has
                // already counted it by address, and authorization turns it away with 401.
                if (context.User.Identity?.IsAuthenticated != true)
                {
                    return RateLimitPartition.GetNoLimiter("unauthenticated");
                }

                var limits = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
                var perMinute = context.RequestServices.GetRequiredService<IOptions<LoyaltyApiOptions>>().Value.ManualRewardsPerMinute;
                return Partition(context, "manual_rewards", $"rewards:{context.User.Tenant()}/{context.User.Actor()}",
                    new RateLimitBudget { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) }, limits);
            });
            options.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter =
                    Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Problems.Create(StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited, "Too many requests.",
                    "The rate limit was reached; retry after the time in Retry-After.").ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }

    /// <summary>Adds <c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c> and <c>RateLimit-Reset</c> to every rate-limited response.</summary>
    public static IApplicationBuilder UseRateLimitHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(() =>
        {
            if (context.Items[GrainRateLimiter.DecisionItem] is RateLimitDecision decision)
            {
                var headers = context.Response.Headers;
                headers["RateLimit-Limit"] = decision.Limit.ToString(CultureInfo.InvariantCulture);
                headers["RateLimit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
                headers["RateLimit-Reset"] = ((int)Math.Ceiling(decision.Reset.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }

            return Task.CompletedTask;
        });
        return next(context);
    });

    private static RateLimitPartition<string> Partition(
        HttpContext context, string policy, string key, RateLimitBudget budget, RateLimitOptions limits)
    {
        var rule = new RateLimitRule(budget.PermitLimit, budget.Window, limits.MaxPenalty, limits.StrikeDecay);
        var services = context.RequestServices;
        return RateLimitPartition.Get($"{key}|{budget.PermitLimit}/{budget.Window}", _ => new GrainRateLimiter(
            services.GetRequiredService<IClusterClient>().GetGrain<IRateLimitGrain>(key),
            services.GetRequiredService<IHttpContextAccessor>(), services.GetRequiredService<TimeProvider>(), policy, rule));
    }
}
