using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace FurnitureOps.Grains.Sagas;

/// <summary>
/// Where releases before the saga tables (migration 0012) kept POS events and rating slips: Orleans ADO.NET
/// grain storage (<c>orleans_storage</c>, <see cref="PosEvents"/> and <see cref="Slips"/>). A saga grain
/// carries its old state over when it activates (<see cref="CarryOverAsync{TState}"/>); the silo activates
/// every saga still here at startup (<c>LegacySagaImport</c>), after which nothing is read here again.
/// </summary>
public sealed class LegacySagaStorage(IServiceProvider services)
{
    /// <summary>Where POS events were kept.</summary>
    public static readonly Source PosEvents = new("pos-events", "event");

    /// <summary>Where rating slips were kept.</summary>
    public static readonly Source Slips = new("slips", "slip");

    private volatile bool _mayHoldSagas = true;

    /// <summary>False once the startup import found no saga left in grain storage: activations stop looking.</summary>
    public bool MayHoldSagas => _mayHoldSagas;

    public void Emptied() => _mayHoldSagas = false;

    /// <summary>
    /// If grain storage still holds this saga: a saga with no row yet takes the old state and commits it
    /// (<paramref name="saveAdopted"/>); then the old state is cleared (the provider keeps its row, with no
    /// state), also when a crash came between the two the last time.
    /// </summary>
    public async Task CarryOverAsync<TState>(Source source, GrainId grainId, SagaRow<TState> row, Func<Task> saveAdopted)
        where TState : class, new()
    {
        if (!MayHoldSagas)
        {
            return;
        }

        var storage = services.GetRequiredKeyedService<IGrainStorage>(source.Provider);
        var old = new GrainState<TState>();
        await storage.ReadStateAsync(source.StateName, grainId, old);
        if (!old.RecordExists)
        {
            return;
        }

        if (!row.Exists)
        {
            row.State = old.State!; // set when RecordExists
            await saveAdopted();
        }

        await storage.ClearStateAsync(source.StateName, grainId, old);
    }

    /// <summary>A grain storage provider and the state name its sagas were written under.</summary>
    public sealed record Source(string Provider, string StateName);
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
