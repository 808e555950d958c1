namespace FurnitureOps.ServiceDefaults;

/// <summary>
/// The .NET runtime's built-in meter: GC, JIT, thread pool, lock contention and exceptions, exported by the
/// silo and the API as <c>dotnet_*</c> on /metrics. The bench reads <c>dotnet_jit_compiled_methods_total</c>
/// to tell when warm-up is over.
/// </summary>
public static class RuntimeMetrics
{
    public const string MeterName = "System.Runtime";
}
