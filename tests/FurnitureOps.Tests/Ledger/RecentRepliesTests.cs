using FurnitureOps.Grains.Ledger;

namespace FurnitureOps.Tests.Ledger;

public sealed class RecentRepliesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void HoldsAtMostItsCapacityForgettingTheOldestFirst()
    {
        var replies = new RecentReplies<int>(capacity: 3);

        for (var i = 0; i < 5; i++)
        {
            replies.Remember(Record($"k{i}", Now.AddHours(1)));
        }

        Assert.Equal(3, replies.Count);
        Assert.Null(replies.Live("k0", Now));
        Assert.Null(replies.Live("k1", Now));
        Assert.NotNull(replies.Live("k4", Now));
    }

    [Fact]
    public void ExpiredRecordIsNotLiveAndIsForgottenFromTheFront()
    {
        var replies = new RecentReplies<int>(capacity: 10);
        replies.Remember(Record("old", Now.AddMinutes(1)));
        replies.Remember(Record("new", Now.AddHours(1)));

        Assert.Null(replies.Live("old", Now.AddMinutes(2)));
        replies.ForgetExpired(Now.AddMinutes(2));

        Assert.Equal(1, replies.Count);
        Assert.NotNull(replies.Live("new", Now.AddMinutes(2)));
    }

    [Fact]
    public void KeyRememberedAgainSurvivesItsOlderEntryLeaving()
    {
        var replies = new RecentReplies<int>(capacity: 2);
        replies.Remember(Record("a", Now.AddHours(1)));
        replies.Remember(Record("a", Now.AddHours(2), reply: 2));
        replies.Remember(Record("b", Now.AddHours(2)));

        Assert.Equal(2, replies.Live("a", Now)!.Reply);
    }

    private static IdempotencyRecord<int> Record(string key, DateTimeOffset expires, int reply = 1) =>
        new(key, $"fingerprint-{key}", reply, expires.AddDays(-1), expires);
}
