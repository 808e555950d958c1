using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace FurnitureOps.Bench.Targets;

/// <summary>CPU time spent so far by the service's processes, by PostgreSQL, and by the bench process itself.</summary>
/// <param name="Silo">The silo process (it idles through the baseline's runs: the baseline runs inside the bench).</param>
/// <param name="Api">The API process.</param>
/// <param name="Postgres">The postmaster and every process it started, including those that have exited.</param>
/// <param name="Bench">This process: the load generator, the baseline's HTTP server and the grains target's Orleans client.</param>
public sealed record CpuTimes(TimeSpan Silo, TimeSpan Api, TimeSpan Postgres, TimeSpan Bench)
{
    public TimeSpan Total => Silo + Api + Postgres + Bench;

    public CpuTimes Per(int requests) => new(Silo / requests, Api / requests, Postgres / requests, Bench / requests);

    public static CpuTimes operator +(CpuTimes a, CpuTimes b) =>
        new(a.Silo + b.Silo, a.Api + b.Api, a.Postgres + b.Postgres, a.Bench + b.Bench);

    public static CpuTimes operator -(CpuTimes after, CpuTimes before) =>
        new(after.Silo - before.Silo, after.Api - before.Api, after.Postgres - before.Postgres, after.Bench - before.Bench);
}

/// <summary>
/// Reads CPU time from <c>/proc</c> so a run can say where its cycles went: on a machine where the load
/// generator, PostgreSQL and the service share the cores, throughput is bounded by CPU per request, and
/// comparing that per target explains a ratio that wall-clock figures only state. Linux only; elsewhere
/// <see cref="Read"/> answers null and the table leaves the column empty.
/// </summary>
public sealed class CpuClock
{
    // USER_HZ: the unit of /proc/<pid>/stat's times, 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    private readonly int? _silo;
    private readonly int? _api;
    private readonly int _postmaster;

    private CpuClock(int? silo, int? api, int postmaster)
    {
        _silo = silo;
        _api = api;
        _postmaster = postmaster;
    }

    /// <summary>
    /// A clock for the <paramref name="silo"/> and <paramref name="api"/> processes (where there are any) and the
    /// PostgreSQL server <paramref name="admin"/> reaches, which must run on this machine.
    /// </summary>
    public static async Task<CpuClock?> StartAsync(int? silo, int? api, NpgsqlDataSource admin)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // A backend's parent is the postmaster, which also collects the CPU time of the children it has reaped.
        var backend = (int)(await admin.CreateCommand("SELECT pg_backend_pid()").ExecuteScalarAsync())!;
        return Stat(backend) is { } stat ? new CpuClock(silo, api, stat.Parent) : null;
    }

    /// <summary>Busy below this share of one core over <see cref="QuietWindow"/>: nothing left over from earlier work.</summary>
    public const double QuietShare = 0.15;

    public static readonly TimeSpan QuietWindow = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Waits until the machine's parts of the benchmark are quiet together, so a run does not pay for what the
    /// one before it left: the relay draining its events, tiered compilation still re-compiling hot methods in
    /// the background. Gives up after <paramref name="bound"/> and says so (false).
    /// </summary>
    public async Task<bool> WaitUntilQuietAsync(TimeSpan bound)
    {
        var deadline = DateTime.UtcNow + bound;
        var before = Read();
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(QuietWindow);
            var after = Read();
            if ((after - before).Total < QuietWindow * QuietShare)
            {
                return true;
            }

            before = after;
        }

        return false;
    }

    public CpuTimes Read()
    {
        long Own(int? pid) => pid is { } id ? Stat(id)?.Own ?? 0 : 0;
        var postgres = Stat(_postmaster) is { } postmaster ? postmaster.Own + postmaster.Children : 0;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && Stat(pid) is { } child && child.Parent == _postmaster)
            {
                postgres += child.Own;
            }
        }

        using var self = Process.GetCurrentProcess();
        return new CpuTimes(Seconds(Own(_silo)), Seconds(Own(_api)), Seconds(postgres), self.TotalProcessorTime);
    }

    private static TimeSpan Seconds(long ticks) => TimeSpan.FromSeconds(ticks / TicksPerSecond);

    private sealed record ProcessStat(int Parent, long Own, long Children);

    /// <summary>
    /// Fields of <c>/proc/&lt;pid&gt;/stat</c> (proc(5)): after the command name in parentheses come state,
    /// ppid, …, utime, stime, cutime, cstime (fields 4 and 14–17). Null when the process has gone.
    /// </summary>
    private static ProcessStat? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        // The command name may itself contain spaces and parentheses; it ends at the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new ProcessStat((int)Field(4), Field(14) + Field(15), Field(16) + Field(17));
    }
}
