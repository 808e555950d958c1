using BenchmarkDotNet.Running;

namespace FurnitureOps.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/FurnitureOps.Benchmarks</c>. Starts its own throwaway
/// PostgreSQL (or uses FURNITUREOPS_TEST_PG); see docs/benchmarks.md.
/// </summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
