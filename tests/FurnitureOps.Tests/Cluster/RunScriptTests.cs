using System.Diagnostics;
using System.Globalization;
using System.Text;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Cluster;

/// <summary>
/// <c>./run.sh</c> as a user runs it, on ports and a data directory of its own: an API that never becomes ready
/// is reported and fails the script, rather than "FurnitureOps is running" being printed.
/// </summary>
[Collection(ApiDefinition.Name)]
public sealed class RunScriptTests : IDisposable
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
}
