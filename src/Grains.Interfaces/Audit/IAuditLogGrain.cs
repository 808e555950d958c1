namespace FurnitureOps.Grains.Interfaces.Audit;

/// <summary>Reads the audit log. A stateless worker: any silo answers, so reads never queue behind writes.</summary>
[Alias("fo.IAuditLogGrain")]
public interface IAuditLogGrain : IGrainWithIntegerKey
{
    /// <summary>Audit rows of the query's tenant matching its filters, oldest first.</summary>
    [Alias("QueryAsync")]
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query);
}
