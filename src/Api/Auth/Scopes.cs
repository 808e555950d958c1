namespace FurnitureOps.Api.Auth;

/// <summary>The token scopes the API knows. Each is also the name of the authorization policy requiring it.</summary>
public static class Scopes
{
    public const string InventoryRead = "inventory:read";
    public const string InventoryWrite = "inventory:write";
    public const string InventoryAdmin = "inventory:admin";
    public const string AuditRead = "audit:read";
    public const string LoyaltyRead = "loyalty:read";
    public const string LoyaltyAccrue = "loyalty:accrue";
    public const string LoyaltyAward = "loyalty:award";
    public const string LoyaltyRedeem = "loyalty:redeem";
    public const string SlipsRead = "slips:read";
    public const string SlipsWrite = "slips:write";
    public const string PosIngest = "pos:ingest";
    public const string PosRead = "pos:read";
    public const string PosAdmin = "pos:admin";
    public const string EventsRead = "events:read";
    public const string WebhooksAdmin = "webhooks:admin";

    public static readonly IReadOnlyList<string> All =
    [
        InventoryRead, InventoryWrite, InventoryAdmin, AuditRead,
        LoyaltyRead, LoyaltyAccrue, LoyaltyAward, LoyaltyRedeem, SlipsRead, SlipsWrite,
        PosIngest, PosRead, PosAdmin, EventsRead, WebhooksAdmin,
    ];
}
