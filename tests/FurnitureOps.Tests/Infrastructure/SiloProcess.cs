using System.Globalization;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>
/// A silo as its own OS process in Production mode, on free loopback ports, so it can be killed (SIGKILL) or
/// stopped (SIGTERM) like a pod.
/// </summary>
public sealed class SiloProcess : IAsyncDisposable
{
    private SiloProcess(HostProcess process, int siloPort, Uri operationsAddress)
    {
        Process = process;
        SiloPort = siloPort;
        OperationsAddress = operationsAddress;
    }

    public HostProcess Process { get; }

    /// <summary>The silo-to-silo port: how the silo is named in the membership table and in grain statistics.</summary>
    public int SiloPort { get; }

    /// <summary>The silo's operations endpoint (health, <c>/metrics</c>).</summary>
    public Uri OperationsAddress { get; }

    /// <summary>Starts the silo from the build output; it joins <paramref name="clusterId"/> through <paramref name="connectionString"/>'s membership table.</summary>
    /// <param name="connectionString">The PostgreSQL connection string (app role).</param>
    /// <param name="clusterId">The Orleans cluster to join.</param>
    /// <param name="settings">More settings in environment-variable form (<c>Section__Key</c>); they override the defaults.</param>
    public static SiloProcess Start(string connectionString, string clusterId, IReadOnlyDictionary<string, string>? settings = null)
    {
        var siloPort = Ports.Free();
        var operations = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = connectionString,
            ["Orleans__ClusterId"] = clusterId,
            ["Orleans__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = Ports.Free().ToString(CultureInfo.InvariantCulture),
            ["ASPNETCORE_URLS"] = operations.ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",

            // The tests' webhook receivers listen on loopback, which Production forbids webhooks to reach.
            ["Webhooks__AllowedDestinations__0"] = "127.0.0.1",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return new SiloProcess(HostProcess.Start("Silo", "FurnitureOps.Silo", environment), siloPort, operations);
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
