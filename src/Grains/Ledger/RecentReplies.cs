namespace FurnitureOps.Grains.Ledger;

/// <summary>
/// The idempotency records an activation holds in memory: the most recent ones it wrote or read, at most
/// <c>capacity</c>, oldest forgotten first. Not every live key: a key missing here may still be live in the
/// database. The write path treats such a key as new, and the commit, which only replaces expired records,
/// finds out (<see cref="Commit.CommitStatus.KeysLive"/>); then the write path reads the record and decides
/// again. So memory does not grow with retention or rate, and a fresh key costs no read.
/// </summary>
internal sealed class RecentReplies<TReply>(int capacity)
{
    private readonly Dictionary<string, IdempotencyRecord<TReply>> _byKey = new(StringComparer.Ordinal);

    // Arrival order. A key remembered again leaves its older entry here; that entry is skipped when it comes up.
    private readonly Queue<IdempotencyRecord<TReply>> _order = new();

    public int Count => _byKey.Count;

    /// <summary>The record held for <paramref name="key"/> if it is still live at <paramref name="now"/>.</summary>
    public IdempotencyRecord<TReply>? Live(string key, DateTimeOffset now) =>
        _byKey.TryGetValue(key, out var record) && record.IsLiveAt(now) ? record : null;

    public void Remember(IdempotencyRecord<TReply> record)
    {
        _byKey[record.Key] = record;
        _order.Enqueue(record);
        while (_order.Count > capacity)
        {
            Drop(_order.Dequeue());
        }
    }

    /// <summary>Forgets records expired at <paramref name="now"/> from the front; costs one step per record forgotten.</summary>
    public void ForgetExpired(DateTimeOffset now)
    {
        while (_order.TryPeek(out var oldest) && !oldest.IsLiveAt(now))
        {
            Drop(_order.Dequeue());
        }
    }

    private void Drop(IdempotencyRecord<TReply> record)
    {
        if (_byKey.TryGetValue(record.Key, out var held) && ReferenceEquals(held, record))
        {
            _byKey.Remove(record.Key);
        }
    }
}
