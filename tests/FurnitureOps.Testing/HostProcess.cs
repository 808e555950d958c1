using System.Diagnostics;
using System.Text;

namespace FurnitureOps.Testing;

/// <summary>A silo or API started as its own OS process from the build output, as in production, to be sent signals.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private HostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int ExitCode => _process.ExitCode;

    /// <summary>The last <paramref name="count"/> lines of the output so far (or all of them), for a failure message.</summary>
    public IReadOnlyList<string> LastLines(int count) =>
        [.. Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(count).Select(line => line.TrimEnd())];

    public bool HasExited => _process.HasExited;

    /// <summary>The operating system's id of the process (for reading its CPU time, sending it signals).</summary>
    public int Id => _process.Id;

    /// <summary>
    /// Starts <c>dotnet {project}.dll</c> from <c>src/{folder}/bin/{configuration}/net10.0</c> with the given settings; the
    /// caller (a test or the bench tool) runs from <c>{tests or bench}/{project}/bin/{configuration}/net10.0</c>.
    /// </summary>
    public static HostProcess Start(string folder, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var testBin = AppContext.BaseDirectory; // tests/FurnitureOps.Tests/bin/{configuration}/net10.0/
        var configuration = new DirectoryInfo(testBin).Parent!.Name;
        var root = Path.GetFullPath(Path.Combine(testBin, "..", "..", "..", "..", ".."));
        var output = Path.Combine(root, "src", folder, "bin", configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet", $"{assembly}.dll")
        {
            WorkingDirectory = output,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new HostProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {assembly}."));
    }

    /// <summary>Sends SIGTERM, as Kubernetes or Ctrl-C would.</summary>
    public void Terminate() => Process.Start("kill", $"-TERM {_process.Id}")!.WaitForExit();

    /// <summary>Sends SIGKILL: the process gets no chance to finish anything, as in a node or OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
