using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Api.Auth;

/// <summary>One machine client: its shared secret, the tenant it acts for and the scopes it holds.</summary>
public sealed class HmacClient
{
    /// <summary>The shared secret (at least 32 bytes). A secret: from the environment or a secret store, never logged.</summary>
    [Required, MinLength(32)]
    public string Secret { get; set; } = string.Empty;

    [Required, RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string TenantId { get; set; } = string.Empty;

    /// <summary>Space-separated scopes, as in a token.</summary>
    public string Scopes { get; set; } = string.Empty;

    /// <summary>The principal written as actor; defaults to <c>key:{keyId}</c>.</summary>
    public string? Subject { get; set; }

    public override string ToString() => $"HmacClient {{ TenantId = {TenantId}, Scopes = {Scopes}, Secret = *** }}";
}

/// <summary>HMAC-signed machine traffic (configuration section <c>Hmac</c>): <c>Hmac:Keys:{keyId}:Secret</c> etc.</summary>
public sealed class HmacOptions : IValidatableObject
{
    public Dictionary<string, HmacClient> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How far <c>X-Timestamp</c> may be from the server's clock, either way.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan AllowedSkew { get; set; } = TimeSpan.FromMinutes(5);

    // Data-annotation validation does not descend into the dictionary, so each client is validated here.
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (keyId, client) in Keys)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(client, new ValidationContext(client), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult($"Hmac key '{keyId}': {result.ErrorMessage}", result.MemberNames);
            }
        }
    }
}
