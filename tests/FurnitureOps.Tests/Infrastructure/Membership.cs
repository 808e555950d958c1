using System.Text;
using FurnitureOps.Grains.Storage;
using Npgsql;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>What the Orleans membership table says about a cluster.</summary>
public static class Membership
{
    /// <summary>How many of the cluster's silos have the given status (stored as the enum's number).</summary>
    public static Task<long> CountAsync(NpgsqlDataSource db, string clusterId, SiloStatus status) => LedgerRows.ScalarAsync(db,
        "SELECT count(*) FROM orleans_membership WHERE deployment_id = $1 AND status = $2", clusterId, (int)status);

    /// <summary>The status of the silo listening on <paramref name="siloPort"/>, or null while it has no row.</summary>
    public static async Task<SiloStatus?> StatusAsync(NpgsqlDataSource db, string clusterId, int siloPort)
    {
        await using var command = db.Command(
            "SELECT status FROM orleans_membership WHERE deployment_id = $1 AND port = $2 ORDER BY generation DESC LIMIT 1", clusterId, siloPort);
        return await command.ExecuteScalarAsync() is int status ? (SiloStatus)status : null;
    }

    /// <summary>The cluster's rows, one line each, for a failure message.</summary>
    public static async Task<string> DescribeAsync(NpgsqlDataSource db, string clusterId)
    {
        await using var command = db.Command("""
            SELECT port, generation, status, coalesce(suspect_times, ''), start_time, iamalive_time
            FROM orleans_membership WHERE deployment_id = $1 ORDER BY start_time
            """, clusterId);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new StringBuilder();
        while (await reader.ReadAsync())
        {
            rows.AppendLine($"  port {reader.GetInt32(0)} gen {reader.GetInt32(1)} {(SiloStatus)reader.GetInt32(2)}"
                + $" started {reader.GetDateTime(4):HH:mm:ss.fff} alive {reader.GetDateTime(5):HH:mm:ss.fff} suspects [{reader.GetString(3)}]");
        }

        return rows.ToString();
    }
}
