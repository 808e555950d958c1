using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Loyalty;

namespace FurnitureOps.Api.OperatorConsole;

/// <summary>
/// What the console's script needs before anyone signs in (<c>/console/config.json</c>, anonymous): how to sign
/// in, and the limits it shows next to the actions they bound. Nothing here is a secret.
/// </summary>
public sealed record ConsoleSettings(string SignIn, string? Authority, string ClientId, string Scope, long MaxManualReward, int ManualRewardsPerMinute)
{
    public const string DevelopmentSignIn = "development";
    public const string OidcSignIn = "oidc";

    public static ConsoleSettings From(AuthOptions auth, ConsoleOptions console, LoyaltyApiOptions loyalty) =>
        string.IsNullOrWhiteSpace(auth.Authority)
            ? new(DevelopmentSignIn, null, console.ClientId, console.Scope, loyalty.MaxManualReward, loyalty.ManualRewardsPerMinute)
            : new(OidcSignIn, auth.Authority.TrimEnd('/'), console.ClientId, console.Scope, loyalty.MaxManualReward, loyalty.ManualRewardsPerMinute);
}
