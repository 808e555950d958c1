namespace FurnitureOps.Grains.Ledger.Commit;

public enum CommitStatus
{
    /// <summary>Every row of the write is committed.</summary>
    Committed,

    /// <summary>Nothing was written: the state row is not at the version the grain holds, or a ledger row of
    /// this version already exists. Another writer (a duplicate activation) got there first; the grain retires.</summary>
    Conflict,

    /// <summary>Nothing was written: some of the write's idempotency keys already have live records the grain did
    /// not have in memory (<see cref="CommitResult.LiveKeys"/>). The grain reads them and decides again.</summary>
    KeysLive,
}

/// <summary>What became of one grain's write in the pipeline. Infrastructure failures are exceptions instead.</summary>
public sealed record CommitResult(CommitStatus Status, IReadOnlyList<string> LiveKeys, string? Detail)
{
    public static readonly CommitResult Committed = new(CommitStatus.Committed, [], null);

    public static CommitResult Conflict(string detail) => new(CommitStatus.Conflict, [], detail);

    public static CommitResult KeysLive(IReadOnlyList<string> keys) => new(CommitStatus.KeysLive, keys, null);
}
