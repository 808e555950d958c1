using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Grains;

/// <summary>Fresh tenant and SKU per test, and commands with the fingerprint the API would compute (here: the command's text).</summary>
public abstract class SkuGrainTestBase(GrainClusterFixture cluster)
{
    protected GrainClusterFixture Cluster { get; } = cluster;

    protected string Tenant { get; } = $"t-{Guid.NewGuid():N}";

    protected string Sku { get; } = $"SKU-{Guid.NewGuid():N}";

    protected ISkuGrain Grain => Cluster.Client.GetGrain<ISkuGrain>(TenantKey.Format(Tenant, Sku));

    protected static CommandContext Context(string key, SkuCommand command) =>
        new(key, command.ToString(), "tester", $"req-{key}");

    protected Task<CommandOutcome<SkuReply>> SendAsync(SkuCommand command, string? key = null) =>
        Grain.ExecuteAsync(command, Context(key ?? Guid.NewGuid().ToString("N"), command));

    protected async Task CreateAsync(long onHand)
    {
        var outcome = await SendAsync(new CreateSku("Test item", onHand));
        Assert.NotNull(outcome.Reply?.Item);
    }

    protected Task<LedgerRows.Counts> CountRowsAsync() => LedgerRows.CountAsync(Cluster.Database, Tenant, Sku);
}
