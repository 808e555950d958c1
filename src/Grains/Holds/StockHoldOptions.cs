using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Grains.Holds;

/// <summary>Multi-line stock holds (configuration section <c>Holds</c>).</summary>
public sealed class StockHoldOptions
{
    /// <summary>
    /// When the sagas' sweeper finishes a step (placing, committing, releasing, expiring) that did not end by
    /// itself: a silo that died mid-step, or a step whose SKU calls failed. The first retry comes this long after
    /// the step started; later ones back off from it (up to 32 times it).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StepRetryPeriod { get; set; } = TimeSpan.FromSeconds(30);
}
