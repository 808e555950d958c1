using System.ComponentModel.DataAnnotations;
using FurnitureOps.Api.Auth;

namespace FurnitureOps.Api.OperatorConsole;

/// <summary>
/// The operator console at <c>/console</c> (configuration section <c>Console</c>). With <c>Auth:Authority</c>
/// set, the console signs people in there (OpenID Connect, authorization code + PKCE) as the public client
/// <see cref="ClientId"/>; without it (development) it takes the token from a <c>#token=</c> link.
/// </summary>
public sealed class ConsoleOptions
{
    /// <summary>Serve the console. Turn it off where no person should reach the API from a browser.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The console's client id at the identity provider: a public client (no secret) allowed PKCE.</summary>
    [Required, RegularExpression("^[A-Za-z0-9._:-]{1,128}$")]
    public string ClientId { get; set; } = "furnitureops-console";

    /// <summary>What the console asks the identity provider for; the API's scopes decide what each action may do.</summary>
    [Required]
    public string Scope { get; set; } = "openid profile " + string.Join(' ', Scopes.All);
}
