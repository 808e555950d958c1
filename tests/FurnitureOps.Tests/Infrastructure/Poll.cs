namespace FurnitureOps.Tests.Infrastructure;

/// <summary>Bounded polling for conditions reached by background work (the relay, the dispatcher, reminders).</summary>
public static class Poll
{
    /// <summary>Waits until <paramref name="condition"/> holds; fails the test with <paramref name="what"/> after the timeout.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null) =>
        UntilAsync(condition, what, timeout, describe: null);

    /// <summary>
    /// Waits until <paramref name="condition"/> holds; after the timeout fails the test with <paramref name="what"/>
    /// and what <paramref name="describe"/> says about the state it was waiting on, so the failure explains itself.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout, Func<Task<string>>? describe)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                var state = describe is null ? "" : $"{Environment.NewLine}{await describe()}";
                Assert.Fail($"Timed out waiting until {what}.{state}");
            }

            await Task.Delay(50);
        }
    }
}
