using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Cluster;

/// <summary>
/// <c>./run.sh</c> as a user runs it, on ports and a data directory of its own: with two silos it keeps the
/// cluster up when one is killed (and says so), and after it is itself killed (an unclean stop that leaves
/// its PostgreSQL, silo and API running) the next run stops those and starts again.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed partial class RunScriptTests : IDisposable
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../.."));
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"furnitureops-run-{Guid.NewGuid():N}");
    private readonly int _apiPort = Ports.Free();
    private readonly int _siloPort = Ports.Free();
    private readonly int _pgPort = Ports.Free();
    private readonly int _orleansPort = Ports.Free();
    private readonly int _gatewayPort = Ports.Free();
    private readonly List<Process> _runs = [];

    [Fact]
    public async Task AKilledSiloLeavesTheClusterUpAndAKilledRunIsRecoveredByTheNext()
    {
        var (first, firstOutput) = Start("--silos", "2");
        await UntilAsync(firstOutput, "FurnitureOps is running.", TimeSpan.FromMinutes(4));
        var silo2 = int.Parse(SiloPid().Match(firstOutput.ToString()).Groups["pid"].Value, CultureInfo.InvariantCulture);

        Process.GetProcessById(silo2).Kill();
        await UntilAsync(firstOutput, $"silo 2 (pid {silo2}) exited", TimeSpan.FromSeconds(30));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_apiPort}") };
        await Poll.UntilAsync(async () => await ReadyAsync(http), "the API is ready with silo 1 alone", TimeSpan.FromSeconds(60));
        Assert.False(first.HasExited, "run.sh stopped the cluster when one silo of two died");

        // An unclean stop: run.sh dies, its PostgreSQL, silo 1 and the API keep running.
        first.Kill();
        await first.WaitForExitAsync();
        var (second, secondOutput) = Start();
        await UntilAsync(secondOutput, "FurnitureOps is running.", TimeSpan.FromMinutes(4));
        Assert.Contains("left running by an earlier run", secondOutput.ToString(), StringComparison.Ordinal);
        Assert.Contains("Restarting the PostgreSQL server an earlier run left running", secondOutput.ToString(), StringComparison.Ordinal);
        Assert.True(await ReadyAsync(http));
    }

    [Fact]
    public async Task AnApiThatIsNeverReadyIsReportedWithAFailingExitCode()
    {
        // Without silos the API cannot become ready; one second is far too short for them to start.
        var (run, output) = Start(environment: new Dictionary<string, string> { ["FURNITUREOPS_READY_SECONDS"] = "1" });

        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await run.WaitForExitAsync(bound.Token);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("The API was not ready after 1 s", output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("FurnitureOps is running.", output.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        foreach (var run in _runs.Where(run => !run.HasExited))
        {
            run.Kill(); // SIGKILL: its children are stopped below, from the pid file and the data directory
        }

        // Whatever the runs left: the next run's leftover handling would stop them, so do what it does.
        Process.Start(new ProcessStartInfo("bash", ["-c", $"""
            for pid in $(cat '{_data}/run.pids' 2>/dev/null); do kill -9 $pid 2>/dev/null; done
            pg=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
            if [ "$(id -u)" = 0 ]; then runuser -u postgres -- $pg/pg_ctl -D '{_data}/postgres' -m immediate stop; else $pg/pg_ctl -D '{_data}/postgres' -m immediate stop; fi
            rm -rf '{_data}'
            """]) { RedirectStandardOutput = true, RedirectStandardError = true })!.WaitForExit(TimeSpan.FromSeconds(60));
    }

    private (Process Run, StringBuilder Output) Start(params string[] arguments) => Start(null, arguments);

    private (Process Run, StringBuilder Output) Start(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", ["run.sh", .. arguments])
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["FURNITUREOPS_DATA"] = _data,
                ["FURNITUREOPS_API_PORT"] = _apiPort.ToString(CultureInfo.InvariantCulture),
                ["FURNITUREOPS_SILO_PORT"] = _siloPort.ToString(CultureInfo.InvariantCulture),
                ["FURNITUREOPS_PG_PORT"] = _pgPort.ToString(CultureInfo.InvariantCulture),
                ["FURNITUREOPS_ORLEANS_SILO_PORT"] = _orleansPort.ToString(CultureInfo.InvariantCulture),
                ["FURNITUREOPS_ORLEANS_GATEWAY_PORT"] = _gatewayPort.ToString(CultureInfo.InvariantCulture),
            },
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        var output = new StringBuilder();
        var run = new Process { StartInfo = start };
        run.OutputDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        run.ErrorDataReceived += (_, line) => { lock (output) { output.AppendLine(line.Data); } };
        run.Start();
        run.BeginOutputReadLine();
        run.BeginErrorReadLine();
        _runs.Add(run);
        return (run, output);
    }

    private static Task UntilAsync(StringBuilder output, string text, TimeSpan bound) => Poll.UntilAsync(() =>
    {
        lock (output)
        {
            return Task.FromResult(output.ToString().Contains(text, StringComparison.Ordinal));
        }
    }, $"run.sh printed \"{text}\"", bound);

    private static async Task<bool> ReadyAsync(HttpClient http)
    {
        try
        {
            return (await http.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"silo 2 pid (?<pid>\d+)")]
    private static partial Regex SiloPid();
}
