namespace FurnitureOps.Api.Auth;

/// <summary>The token scopes the API knows. Each is also the name of the authorization policy requiring it.</summary>
public static class Scopes
{
    public const string InventoryRead = "inventory:read";
    public const string InventoryWrite = "inventory:write";
    public const string InventoryAdmin = "inventory:admin";
    public const string AuditRead = "audit:read";

    public static readonly IReadOnlyList<string> All = [InventoryRead, InventoryWrite, InventoryAdmin, AuditRead];
}
