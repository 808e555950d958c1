using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Grains;

/// <summary>Fresh tenant and player per test, and commands with the fingerprint the API would compute (here: the command's text).</summary>
public abstract class PlayerGrainTestBase(GrainClusterFixture cluster)
{
    protected GrainClusterFixture Cluster { get; } = cluster;

    protected string Tenant { get; } = $"t-{Guid.NewGuid():N}";

    protected string PlayerId { get; } = $"P-{Guid.NewGuid():N}";

    protected IPlayerLoyaltyGrain Player => Cluster.Client.GetGrain<IPlayerLoyaltyGrain>(TenantKey.Format(Tenant, PlayerId));

    protected Task<CommandOutcome<LoyaltyReply>> SendAsync(LoyaltyCommand command, string? key = null, string staff = "staff-1")
    {
        key ??= Guid.NewGuid().ToString("N");
        return Player.ExecuteAsync(command, new CommandContext(key, command.ToString(), staff, $"req-{key}"));
    }
}
