using System.Text.RegularExpressions;

namespace FurnitureOps.Grains.Interfaces;

/// <summary>
/// Keys of tenant-owned grains are <c>{tenant}/{id}</c> (a SKU code, a player id, a slip id): the tenant is
/// part of the identity, so the same SKU code in two tenants is two grains, two state rows and two ledgers.
/// </summary>
public static partial class TenantKey
{
    /// <summary>Builds the grain key; both parts must already be valid identifiers.</summary>
    public static string Format(string tenantId, string id) => $"{tenantId}/{id}";

    /// <summary>Splits a grain key back into tenant and id.</summary>
    public static (string TenantId, string Id) Parse(string grainKey)
    {
        var slash = grainKey.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == grainKey.Length - 1)
        {
            throw new ArgumentException($"'{grainKey}' is not a tenant grain key.", nameof(grainKey));
        }

        return (grainKey[..slash], grainKey[(slash + 1)..]);
    }

    /// <summary>True for 1–64 characters of <c>[A-Za-z0-9._-]</c>: the rule for tenant ids, SKU codes and player ids.</summary>
    public static bool IsValidIdentifier(string? value) => value is not null && Identifier().IsMatch(value);

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex Identifier();
}
