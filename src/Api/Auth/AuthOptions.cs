using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Api.Auth;

/// <summary>
/// Token validation (configuration section <c>Auth</c>). Development signs HS256 tokens with
/// <see cref="SigningKey"/>; production sets <see cref="Authority"/> to an OIDC issuer instead.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string DevelopmentIssuer = "furnitureops-dev";

    /// <summary>HS256 key, at least 32 bytes of UTF-8. A secret: supply it by environment or secret store.</summary>
    public string? SigningKey { get; set; }

    /// <summary>OIDC authority whose discovery document supplies issuer and keys; overrides <see cref="SigningKey"/>.</summary>
    public string? Authority { get; set; }

    [Required]
    public string Issuer { get; set; } = DevelopmentIssuer;

    [Required]
    public string Audience { get; set; } = "furnitureops";

    /// <summary>
    /// With <see cref="Authority"/> set, also accept HS256 tokens signed with <see cref="SigningKey"/> and issued
    /// by <see cref="DevelopmentIssuer"/> (a test environment that mixes both). Off by default: production
    /// tokens then come only from the authority.
    /// </summary>
    public bool AcceptDevelopmentTokens { get; set; }

    /// <summary>Fetch the authority's discovery document over HTTPS only. Turn off only for a local identity provider.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Authority) && (SigningKey is null || System.Text.Encoding.UTF8.GetByteCount(SigningKey) < 32))
        {
            yield return new ValidationResult(
                "Set Auth:Authority (OIDC) or Auth:SigningKey (at least 32 bytes).", [nameof(SigningKey), nameof(Authority)]);
        }

        if (AcceptDevelopmentTokens && (SigningKey is null || System.Text.Encoding.UTF8.GetByteCount(SigningKey) < 32))
        {
            yield return new ValidationResult(
                "Auth:AcceptDevelopmentTokens needs Auth:SigningKey (at least 32 bytes).", [nameof(AcceptDevelopmentTokens), nameof(SigningKey)]);
        }
    }
}
