namespace FurnitureOps.Grains.Loyalty;

/// <summary>Which tier a lifetime total reaches, and how far it is towards the next.</summary>
public sealed class TierLadder(IReadOnlyList<LoyaltyTier> tiers)
{
    public string TierFor(long lifetimePoints) => tiers[IndexFor(lifetimePoints)].Name;

    /// <summary>0.0 at the tier's floor, approaching 1.0 at the next tier's; 1.0 at the top tier.</summary>
    public double ProgressFor(long lifetimePoints)
    {
        var index = IndexFor(lifetimePoints);
        if (index == tiers.Count - 1)
        {
            return 1.0;
        }

        var floor = tiers[index].MinLifetimePoints;
        return (double)(lifetimePoints - floor) / (tiers[index + 1].MinLifetimePoints - floor);
    }

    private int IndexFor(long lifetimePoints)
    {
        var index = 0;
        while (index + 1 < tiers.Count && tiers[index + 1].MinLifetimePoints <= lifetimePoints)
        {
            index++;
        }

        return index;
    }
}
