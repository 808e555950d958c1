namespace FurnitureOps.Grains.Interfaces.Ledger;

/// <summary>How a command's idempotency key was treated.</summary>
[GenerateSerializer, Alias("fo.idempotency-status")]
public enum IdempotencyStatus
{
    /// <summary>The key was new: the command was decided now and its reply recorded under the key.</summary>
    Fresh = 0,

    /// <summary>The key was seen before with the same fingerprint: this is the stored reply; nothing was written.</summary>
    Replayed = 1,

    /// <summary>The key was seen before with a different fingerprint: nothing was decided or written.</summary>
    KeyReused = 2,
}

/// <summary>The answer to a ledger command. <see cref="Reply"/> is null only for <see cref="IdempotencyStatus.KeyReused"/>.</summary>
[GenerateSerializer, Immutable, Alias("fo.command-outcome`1")]
public sealed record CommandOutcome<TReply>(TReply? Reply, IdempotencyStatus Status);
