using FurnitureOps.Bench.Baseline;

namespace FurnitureOps.Bench.Targets;

/// <summary>The row-lock baseline (<see cref="RowLockBaseline"/>): callers name their tenant in <c>X-Tenant</c>.</summary>
public sealed class BaselineTarget(RowLockBaseline baseline, Statements statements, int maxConnections)
    : HttpTarget("row-lock baseline", baseline.BaseAddress, maxConnections)
{
    public override void Identify(HttpRequestMessage request, string tenant, int client) =>
        request.Headers.TryAddWithoutValidation("X-Tenant", tenant);

    public override Task CreateSkusAsync(string tenant, IReadOnlyList<string> skus, long onHand) =>
        baseline.CreateSkusAsync(tenant, skus, onHand);

    public override Task<Effects> CountEffectsAsync(string tenant, EffectKind kind) =>
        CountEffectsAsync(baseline.Database, tenant, kind, stockLedger: "stock_ledger", loyaltyLedger: "points_ledger");

    public override string? ConnectionHolder(string applicationName) =>
        applicationName == RowLockBaseline.ApplicationName ? RowLockBaseline.ApplicationName : null;

    // Every request is one function call; nothing else runs in this database.
    public override Task<long> WritePathStatementsAsync() => statements.CountAsync(RowLockBaseline.DefaultDatabase, "sell|loyalty|reserve|reservation");
}
