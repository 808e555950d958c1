using FurnitureOps.Grains.Interfaces.Ledger;

namespace FurnitureOps.Grains.Ledger;

/// <summary>A command waiting in the grain's queue, and the caller waiting for its answer.</summary>
internal sealed class PendingCommand<TCommand, TReply>(TCommand command, CommandContext context)
{
    public TCommand Command { get; } = command;

    public CommandContext Context { get; } = context;

    // Continuations run asynchronously so that answering one caller never runs another caller's code inline
    // in the middle of the flush that is answering them all.
    public TaskCompletionSource<CommandOutcome<TReply>> Answer { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}
