using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace FurnitureOps.Grains.Sagas;

/// <summary>
/// Where releases before the saga tables (migration 0012) kept POS events and rating slips: Orleans ADO.NET
/// grain storage (<c>orleans_storage</c>, provider names <see cref="PosEvents"/> and <see cref="Slips"/>). A saga
/// grain whose row is missing reads its old state here once, commits it as its row, and then clears the old
/// one (the provider keeps the row with no state); the silo activates every saga still here at startup (<c>LegacySagaImport</c>), after which nothing is
/// read here again.
/// </summary>
public sealed class LegacySagaStorage(IServiceProvider services)
{
    /// <summary>The grain storage provider POS events were kept in (state name <c>event</c>).</summary>
    public const string PosEvents = "pos-events";

    /// <summary>The grain storage provider rating slips were kept in (state name <c>slip</c>).</summary>
    public const string Slips = "slips";

    private volatile bool _mayHoldSagas = true;

    /// <summary>False once the startup import found no saga left in grain storage: activations stop looking.</summary>
    public bool MayHoldSagas => _mayHoldSagas;

    public void Emptied() => _mayHoldSagas = false;

    /// <summary>The saga's state in grain storage, or null when it has none there (or none can remain).</summary>
    public async Task<GrainState<TState>?> ReadAsync<TState>(string provider, string stateName, GrainId grainId)
    {
        if (!MayHoldSagas)
        {
            return null;
        }

        var state = new GrainState<TState>();
        await Storage(provider).ReadStateAsync(stateName, grainId, state);
        return state.RecordExists ? state : null;
    }

    /// <summary>Clears the state read by <see cref="ReadAsync{TState}"/>, once its row is committed.</summary>
    public Task ClearAsync<TState>(string provider, string stateName, GrainId grainId, GrainState<TState> state) =>
        Storage(provider).ClearStateAsync(stateName, grainId, state);

    private IGrainStorage Storage(string provider) => services.GetRequiredKeyedService<IGrainStorage>(provider);
}

/// <summary>
/// Releases before the saga tables retried sagas with Orleans reminders. One that still ticks (its saga was
/// unfinished at the upgrade) is removed on its first tick: the sweeper retries that saga now.
/// </summary>
public static class LegacyReminders
{
    public static async Task RemoveAsync(Grain grain, string reminderName)
    {
        if (await grain.GetReminder(reminderName) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }
    }
}
