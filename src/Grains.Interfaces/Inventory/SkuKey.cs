using System.Text.RegularExpressions;

namespace FurnitureOps.Grains.Interfaces.Inventory;

/// <summary>
/// SKU grain keys are <c>{tenant}/{sku}</c>: the tenant is part of the identity, so the same SKU code in
/// two tenants is two grains, two state rows and two ledgers.
/// </summary>
public static partial class SkuKey
{
    /// <summary>Builds the grain key; both parts must already be valid identifiers.</summary>
    public static string Format(string tenantId, string sku) => $"{tenantId}/{sku}";

    /// <summary>Splits a grain key back into tenant and SKU.</summary>
    public static (string TenantId, string Sku) Parse(string grainKey)
    {
        var slash = grainKey.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == grainKey.Length - 1)
        {
            throw new ArgumentException($"'{grainKey}' is not a SKU grain key.", nameof(grainKey));
        }

        return (grainKey[..slash], grainKey[(slash + 1)..]);
    }

    /// <summary>True for 1–64 characters of <c>[A-Za-z0-9._-]</c>: the rule for SKU codes and tenant ids.</summary>
    public static bool IsValidIdentifier(string? value) => value is not null && Identifier().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex Identifier();
}
