using FurnitureOps.Bench.Load;
using FurnitureOps.Bench.Targets;

namespace FurnitureOps.Bench.Scenarios;

/// <summary>
/// A workload run once against FurnitureOps and once against the baseline, each time for a fresh tenant:
/// set-up (not measured), the measured run, then the ledger's count of effects.
/// </summary>
public abstract class Scenario(string name, string description, int clients, int requests)
{
    public string Name { get; } = name;

    public string Description { get; } = description;

    public int Clients { get; } = clients;

    /// <summary>The longest a run waits for the one before it to stop using CPU (<see cref="CpuClock.WaitUntilQuietAsync"/>).</summary>
    private static readonly TimeSpan QuietBound = TimeSpan.FromSeconds(30);

    /// <summary>Requests per target at scale 1.</summary>
    public int Requests { get; } = requests;

    /// <summary>Whether this scenario is measured on <paramref name="target"/> (by default on every target).</summary>
    public virtual bool RunsOn(Target target) => true;

    /// <summary>Which ledger rows are this scenario's effects (by default sales).</summary>
    protected virtual EffectKind Counts => EffectKind.Sales;

    /// <summary>
    /// Runs the scenario once against <paramref name="target"/>, counting its connections with <paramref name="connections"/>
    /// and, where there is a <paramref name="cpu"/> clock, the CPU time the measured run cost.
    /// </summary>
    public async Task<ScenarioRow> RunAsync(Target target, ConnectionSampler connections, CpuClock? cpu, double scale, TimeSpan bound)
    {
        var tenant = $"bench-{Name}-{Guid.NewGuid():N}"[..40];
        var requests = await PrepareAsync(target, tenant, Math.Max(Clients, (int)(Requests * scale)));
        if (cpu is not null && !await cpu.WaitUntilQuietAsync(QuietBound))
        {
            Console.Error.WriteLine($"  ({Name} → {target.Name}: still busy after {QuietBound.TotalSeconds:F0} s; measuring anyway)");
        }

        var statementsBefore = await target.WritePathStatementsAsync();
        var flushesBefore = await target.FlushTotalsAsync();
        var rateLimitCallsBefore = await target.RateLimitGrainCallsAsync();
        var cpuBefore = cpu?.Read();

        // Sampled over the measured run only (set-up's connections are still counted if its pools kept them open).
        var (load, peaks) = await connections.SampleWhileAsync(target, bound, () =>
            LoadRunner.RunAsync(target, $"{Name} → {target.Name}", tenant, requests, Clients, bound));
        var cpuSpent = cpu is null || cpuBefore is null ? null : cpu.Read() - cpuBefore;

        var statements = await target.WritePathStatementsAsync() - statementsBefore;
        var flushes = flushesBefore is null ? null : await FlushesSinceAsync(target, flushesBefore, statements);

        var rateLimitCalls = await target.RateLimitGrainCallsAsync() - rateLimitCallsBefore; // read after the flushes' wait for /metrics
        var effects = await target.CountEffectsAsync(tenant, Counts);
        return new ScenarioRow(Name, target.Name, Clients, load, ExpectedEffects(load, requests), effects, flushes, statements, peaks, cpuSpent, rateLimitCalls);
    }

    /// <summary>
    /// The flushes the run made. The silo's /metrics answer is cached for a moment, so a short run is read
    /// again (for at most 2 s) until the histogram shows it; a run that wrote nothing made no flush.
    /// </summary>
    private static async Task<FlushTotals> FlushesSinceAsync(Target target, FlushTotals before, long statements)
    {
        var deadline = DateTime.UtcNow.AddSeconds(2);
        while (true)
        {
            var after = await target.FlushTotalsAsync();
            if (after!.Flushes > before.Flushes || statements == 0 || DateTime.UtcNow > deadline)
            {
                return after - before;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Set-up for one target and tenant (not measured); returns the requests to send, in order.</summary>
    protected abstract Task<IReadOnlyList<BenchRequest>> PrepareAsync(Target target, string tenant, int count);

    /// <summary>How many ledger rows the run must have left: by default one per acknowledged key.</summary>
    protected virtual long ExpectedEffects(LoadResult load, IReadOnlyList<BenchRequest> requests) => load.AcknowledgedKeys.Count;

    protected static BenchRequest Sale(string sku, string key, int quantity = 1) => new(Operation.Sell, sku, quantity, key);
}
