namespace FurnitureOps.Grains.Interfaces.Sagas;

/// <summary>A grain that owns a saga (a POS event, a rating slip): the sagas' sweeper resumes it when its next attempt is due.</summary>
[Alias("fo.ISagaGrain")]
public interface ISagaGrain : IGrainWithStringKey
{
    /// <summary>
    /// Runs the saga's remaining steps once, if it is unfinished; a finished or unknown saga does nothing. A
    /// failed attempt is recorded with its next attempt time (the shared backoff), so this never throws for a
    /// step that failed, only when the outcome could not be saved.
    /// </summary>
    [Alias("ResumeAsync")]
    Task ResumeAsync();
}
