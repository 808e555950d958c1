namespace FurnitureOps.Grains.Interfaces.Audit;

/// <summary>One immutable audit row. <see cref="Before"/> and <see cref="After"/> are JSON documents.</summary>
[GenerateSerializer, Immutable, Alias("fo.audit-entry")]
public sealed record AuditEntry(
    long Id,
    DateTimeOffset At,
    string Actor,
    string Action,
    string EntityType,
    string EntityId,
    string? Before,
    string? After,
    string RequestId);

/// <summary>
/// A page request over one tenant's audit rows in id order, filtered by entity (type, id, or both) and by the
/// request that caused them; a null filter is not applied.
/// </summary>
[GenerateSerializer, Immutable, Alias("fo.audit-query")]
public sealed record AuditQuery(string TenantId, string? EntityType, string? EntityId, long AfterId, int Limit, string? RequestId = null);
