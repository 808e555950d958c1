using Npgsql;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>What the Orleans membership table says about a cluster.</summary>
public static class Membership
{
    /// <summary>How many of the cluster's silos have the given status (stored as the enum's number).</summary>
    public static Task<long> CountAsync(NpgsqlDataSource db, string clusterId, SiloStatus status) => LedgerRows.ScalarAsync(db,
        "SELECT count(*) FROM orleans_membership WHERE deployment_id = $1 AND status = $2", clusterId, (int)status);
}
