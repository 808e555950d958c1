namespace FurnitureOps.Tests.Infrastructure;

public static class ClusterTestActions
{
    /// <summary>Deactivates the grain and proves it is gone, so the next call builds a new activation from storage.</summary>
    public static async Task DeactivateAsync(IClusterClient client, IAddressable grain)
    {
        var management = client.GetGrain<IManagementGrain>(0);
        await management.DeactivateGrain(grain.GetGrainId(), CancellationToken.None);
        Assert.Null(await management.GetActivationAddress(grain));
    }
}
