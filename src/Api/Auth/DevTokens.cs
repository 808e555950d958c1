using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FurnitureOps.Api.Auth;

/// <summary>Mints HS256 development tokens that this API accepts when it runs with <c>Auth:SigningKey</c>.</summary>
public static class DevTokens
{
    /// <summary>A token valid from <paramref name="issuedAt"/> (now unless given: a test makes expired ones) for <paramref name="lifetime"/>.</summary>
    public static string Issue(string signingKey, string tenantId, string subject, IEnumerable<string> scopes, TimeSpan lifetime,
        string issuer = AuthOptions.DevelopmentIssuer, string audience = "furnitureops", DateTime? issuedAt = null)
    {
        var now = issuedAt ?? DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Subject = new ClaimsIdentity(
            [
                new Claim(Claims.Subject, subject),
                new Claim(Claims.TenantId, tenantId),
                new Claim(Claims.Scope, string.Join(' ', scopes)),
            ]),
            SigningCredentials = new SigningCredentials(SigningKey(signingKey), SecurityAlgorithms.HmacSha256),
        });
    }

    public static SymmetricSecurityKey SigningKey(string signingKey) => new(Encoding.UTF8.GetBytes(signingKey));

    /// <summary>
    /// <c>FurnitureOps.Api dev-token [--tenant demo] [--sub dev] [--scopes "a b"] [--hours 12]</c>: prints a
    /// token signed with <c>Auth:SigningKey</c> from the environment.
    /// </summary>
    public static int RunCommand(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var key = configuration["Auth:SigningKey"];
        if (string.IsNullOrEmpty(key))
        {
            Console.Error.WriteLine("dev-token: set Auth__SigningKey.");
            return 2;
        }

        var scopes = configuration["scopes"]?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? Scopes.All;
        var hours = configuration.GetValue("hours", 12.0);
        Console.WriteLine(Issue(key, configuration["tenant"] ?? "demo", configuration["sub"] ?? "dev", scopes, TimeSpan.FromHours(hours)));
        return 0;
    }
}
