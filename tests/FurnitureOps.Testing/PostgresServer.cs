using System.Diagnostics;

namespace FurnitureOps.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster for the test run: initdb into a temp folder, listen on 127.0.0.1 at a
/// free port, deleted at the end. As root, the server runs as the <c>postgres</c> user (it refuses root).
/// With <c>FURNITUREOPS_TEST_PG</c> set, no server is started: a fresh database is created on that one.
/// </summary>
public sealed class PostgresServer
{
    private readonly string? _dataDirectory;
    private readonly string? _binDirectory;
    private readonly string _startOptions;

    private PostgresServer(string adminConnectionString, string? dataDirectory, string? binDirectory, string startOptions = "")
    {
        AdminConnectionString = adminConnectionString;
        _dataDirectory = dataDirectory;
        _binDirectory = binDirectory;
        _startOptions = startOptions;
    }

    /// <summary>A superuser connection to the server's <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    /// <param name="durable">
    /// Keep PostgreSQL's default commit durability (fsync, synchronous commit), as production does. Tests turn
    /// it off for speed; benchmarks keep it, or commit cost and so the value of batching would be understated.
    /// </param>
    /// <param name="settings">More server settings (<c>name=value</c>), e.g. a preloaded extension.</param>
    public static async Task<PostgresServer> StartAsync(bool durable = false, IEnumerable<string>? settings = null)
    {
        if (Environment.GetEnvironmentVariable("FURNITUREOPS_TEST_PG") is { Length: > 0 } external)
        {
            return new PostgresServer(external, null, null);
        }

        var bin = BinDirectory();

        // Under FURNITUREOPS_TEST_PG_ROOT when test.sh sets it, so test.sh can sweep servers a killed run left behind.
        var root = Environment.GetEnvironmentVariable("FURNITUREOPS_TEST_PG_ROOT") is { Length: > 0 } runRoot ? runRoot : Path.GetTempPath();
        var data = Directory.CreateDirectory(Path.Combine(root, $"furnitureops-test-pg-{Guid.NewGuid():N}")).FullName;
        await OwnAsync(data);
        var port = Ports.Free();
        await RunAsync(Path.Combine(bin, "initdb"), $"-D {data} -U postgres --auth=trust --no-sync -E UTF8");
        // max_connections stays at PostgreSQL's default (100), as on a server nobody has tuned: the services'
        // connection budget must fit in it, and a test that raised it would hide exactly that failure.
        var startOptions = $"-p {port} -k {data} -c listen_addresses=127.0.0.1" +
            (durable ? string.Empty : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off") +
            string.Concat((settings ?? []).Select(setting => $" -c {setting}"));
        var server = new PostgresServer($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres", data, bin, startOptions);
        await server.StartAgainAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    /// <summary>The server binaries: <c>FURNITUREOPS_PG_BIN</c> (test.sh and bench.sh set it), else the newest installed.</summary>
    public static string BinDirectory() =>
        Environment.GetEnvironmentVariable("FURNITUREOPS_PG_BIN") is { Length: > 0 } configured
            ? configured
            : Directory.GetDirectories("/usr/lib/postgresql").Select(version => Path.Combine(version, "bin"))
                .Where(dir => File.Exists(Path.Combine(dir, "initdb"))).Order().LastOrDefault()
              ?? throw new InvalidOperationException("No PostgreSQL server binaries; run ./test.sh, which installs them.");

    /// <summary>Stops the server (fast shutdown), keeping its data, to test how the service behaves without it.</summary>
    public Task StopAsync() => RunAsync(Path.Combine(Own(_binDirectory), "pg_ctl"), $"-D {_dataDirectory} -w -m fast stop");

    /// <summary>Starts the server again on the same port and data.</summary>
    public Task StartAgainAsync() =>
        RunAsync(Path.Combine(Own(_binDirectory), "pg_ctl"), $"-D {_dataDirectory} -w -t 60 -l {_dataDirectory}/server.log -o \"{_startOptions}\" start");

    private static string Own(string? binDirectory) =>
        binDirectory ?? throw new InvalidOperationException("FURNITUREOPS_TEST_PG points at an external server; it cannot be stopped here.");

    private void Stop()
    {
        if (_dataDirectory is null)
        {
            return;
        }

        Run(Path.Combine(_binDirectory!, "pg_ctl"), $"-D {_dataDirectory} -m immediate stop").WaitForExit(30_000);
        Directory.Delete(_dataDirectory, recursive: true);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static async Task OwnAsync(string directory)
    {
        if (IsRoot)
        {
            await RunAsync("chown", $"postgres: {directory}", asPostgres: false);
        }
    }

    private static async Task RunAsync(string file, string arguments, bool asPostgres = true)
    {
        using var process = Run(file, arguments, asPostgres);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} exited {process.ExitCode}: {await output}{await error}");
        }
    }

    private static Process Run(string file, string arguments, bool asPostgres = true)
    {
        var start = asPostgres && IsRoot
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}")
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
    }
}
