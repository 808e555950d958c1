using FurnitureOps.Grains.Interfaces.Ledger;

namespace FurnitureOps.Grains;

/// <summary>How saga grains (rating slips, POS events) save their Orleans-persisted state.</summary>
internal static class PersistentStateWrites
{
    /// <summary>
    /// Writes the state. If the write fails, the in-memory state is ahead of storage. So, as in the ledger
    /// write path, the activation retires, and the next call reloads what was really stored; the caller gets
    /// the retryable <see cref="StorageUnavailableException"/> with <paramref name="retryAdvice"/>.
    /// </summary>
    public static async Task WriteOrRetireAsync<TState>(
        this IPersistentState<TState> state, IGrainBase grain, Action<Exception> logFailure, string retryAdvice)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logFailure(error);
            grain.DeactivateOnIdle();
            throw new StorageUnavailableException(retryAdvice);
        }
    }
}
