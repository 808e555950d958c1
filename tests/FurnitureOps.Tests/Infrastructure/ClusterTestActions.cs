namespace FurnitureOps.Tests.Infrastructure;

public static class ClusterTestActions
{
    /// <summary>
    /// Deactivates the grain and waits (bounded) until no silo lists it among its active grains, so the next call
    /// builds a new activation from storage.
    /// </summary>
    public static async Task DeactivateAsync(IGrainFactory grains, IAddressable grain)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var grainId = grain.GetGrainId();
        await management.DeactivateGrain(grainId, CancellationToken.None);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((await management.GetActiveGrains(grainId.Type)).Contains(grainId))
        {
            await Task.Delay(50, timeout.Token);
        }
    }
}
