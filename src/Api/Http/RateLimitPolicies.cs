using System.Globalization;
using System.Threading.RateLimiting;
using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Loyalty;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace FurnitureOps.Api.Http;

/// <summary>
/// Rate-limit policies, on ASP.NET Core's rate limiter. Rejected requests get 429 <c>rate_limited</c> with
/// <c>Retry-After</c> and never reach the idempotency layer, so nothing is stored under their key.
/// </summary>
/// <remarks>Budgets are per API instance for now; the security issue moves them into cluster-wide grains.</remarks>
public static class RateLimitPolicies
{
    public const string ManualRewards = "manual-rewards";

    public static IServiceCollection AddFurnitureOpsRateLimits(this IServiceCollection services)
    {
        services.AddOptions<LoyaltyApiOptions>().BindConfiguration("Loyalty").ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(ManualRewards, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<LoyaltyApiOptions>>().Value.ManualRewardsPerMinute;
                var staff = $"{context.User.Tenant()}/{context.User.Actor()}";
                return RateLimitPartition.GetFixedWindowLimiter(staff, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            options.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter =
                    Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await Problems.Create(StatusCodes.Status429TooManyRequests, ProblemCodes.RateLimited, "Too many requests.",
                    "The rate limit for this operation was reached; retry after the time in Retry-After.")
                    .ExecuteAsync(context.HttpContext);
            };
        });
        return services;
    }
}
