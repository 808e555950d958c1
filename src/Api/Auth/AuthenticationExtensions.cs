using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Api.Http;
using FurnitureOps.Grains.Interfaces.Inventory;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace FurnitureOps.Api.Auth;

public static class AuthenticationExtensions
{
    private const string BearerOrSignature = "BearerOrSignature";

    /// <summary>
    /// JWT bearer authentication for people and HMAC signatures for machine clients, the tenant taken only from
    /// the token or the key's configuration, and one authorization policy per scope. 401 and 403 are
    /// answered as problem+json.
    /// </summary>
    public static IServiceCollection AddFurnitureOpsAuth(this IServiceCollection services)
    {
        services.AddOptions<AuthOptions>().BindConfiguration("Auth").ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HmacOptions>().BindConfiguration("Hmac").ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);

        // Signed machine requests go to the HMAC handler; everything else to JWT bearer.
        services.AddAuthentication(BearerOrSignature)
            .AddPolicyScheme(BearerOrSignature, BearerOrSignature, scheme => scheme.ForwardDefaultSelector = context =>
                HmacAuthenticationHandler.IsSigned(context.Request) ? HmacAuthenticationHandler.SchemeName : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddScheme<AuthenticationSchemeOptions, HmacAuthenticationHandler>(HmacAuthenticationHandler.SchemeName, null);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((options, auth) => Configure(options, auth.Value));

        var policies = services.AddAuthorizationBuilder();
        foreach (var scope in Scopes.All)
        {
            policies.AddPolicy(scope, policy => policy.RequireAuthenticatedUser().RequireAssertion(context => context.User.HasScope(scope)));
        }

        return services;
    }

    private static void Configure(JwtBearerOptions options, AuthOptions auth)
    {
        options.MapInboundClaims = false;
        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = auth.Issuer,
            ValidAudience = auth.Audience,
            NameClaimType = Claims.Subject,
        };
        if (!string.IsNullOrWhiteSpace(auth.Authority))
        {
            options.Authority = auth.Authority;
            options.Audience = auth.Audience;
            options.RequireHttpsMetadata = auth.RequireHttpsMetadata;

            // The authority's discovery document names its issuer, and that is the only one accepted (unless an
            // issuer was configured on purpose): the development issuer must not stay valid in production.
            options.TokenValidationParameters.ValidIssuer = auth.Issuer == AuthOptions.DevelopmentIssuer ? null : auth.Issuer;
            if (auth.AcceptDevelopmentTokens)
            {
                options.TokenValidationParameters.ValidIssuers = [AuthOptions.DevelopmentIssuer];
                options.TokenValidationParameters.IssuerSigningKey = DevTokens.SigningKey(auth.SigningKey!);
            }
        }
        else if (auth.SigningKey is not null)
        {
            options.TokenValidationParameters.IssuerSigningKey = DevTokens.SigningKey(auth.SigningKey);
            options.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }

        options.Events = new JwtBearerEvents
        {
            OnTokenValidated = context =>
            {
                // Grain keys embed the tenant, so it must be a well-formed identifier, and there must be an actor.
                var principal = context.Principal!;
                if (!TenantKey.IsValidIdentifier(principal.FindFirst(Claims.TenantId)?.Value) ||
                    string.IsNullOrWhiteSpace(principal.FindFirst(Claims.Subject)?.Value))
                {
                    context.Fail("The token needs a 'sub' and a 'tenant_id' of 1-64 [A-Za-z0-9._-].");
                }

                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Problems.Create(StatusCodes.Status401Unauthorized, ProblemCodes.Unauthenticated,
                    "Authentication is required.", "Send a valid bearer token.").ExecuteAsync(context.HttpContext);
            },
            OnForbidden = context => Problems.Create(StatusCodes.Status403Forbidden, ProblemCodes.Forbidden,
                "The token does not allow this.", "The token lacks the scope this operation requires.")
                .ExecuteAsync(context.HttpContext),
        };
    }
}
