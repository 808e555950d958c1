using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace FurnitureOps.Bench;

/// <summary>
/// The machine's commit ceiling: pgbench's built-in <c>simple-update</c> (one small transaction: three updates
/// and an insert) on the same server, in a database of its own, measured for a fixed time.
/// </summary>
public static partial class PgBench
{
    public static async Task InitializeAsync(string adminConnectionString)
    {
        await using (var admin = NpgsqlDataSource.Create(adminConnectionString))
        {
            await admin.CreateCommand("DROP DATABASE IF EXISTS bench_pgbench WITH (FORCE)").ExecuteNonQueryAsync();
            await admin.CreateCommand("CREATE DATABASE bench_pgbench").ExecuteNonQueryAsync();
        }

        await RunAsync(adminConnectionString, "-i -s 16 -q");
    }

    /// <summary>Transactions per second with <paramref name="clients"/> connections for <paramref name="duration"/>.</summary>
    public static async Task<double> TpsAsync(string adminConnectionString, int clients, TimeSpan duration)
    {
        var threads = Math.Min(clients, Environment.ProcessorCount);
        var output = await RunAsync(adminConnectionString, $"-n -b simple-update -c {clients} -j {threads} -T {(int)duration.TotalSeconds}");
        var tps = Tps().Match(output);
        return tps.Success
            ? double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"pgbench printed no tps:\n{output}");
    }

    private static async Task<string> RunAsync(string adminConnectionString, string arguments)
    {
        var server = new NpgsqlConnectionStringBuilder(adminConnectionString);
        var start = new ProcessStartInfo(Path.Combine(PostgresServer.BinDirectory(), "pgbench"),
            $"-h {server.Host} -p {server.Port} -U {server.Username} {arguments} bench_pgbench")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? await output + await error
            : throw new InvalidOperationException($"pgbench {arguments} exited {process.ExitCode}: {await error}");
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}
