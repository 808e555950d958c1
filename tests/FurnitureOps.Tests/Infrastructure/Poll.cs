namespace FurnitureOps.Tests.Infrastructure;

/// <summary>Bounded polling for conditions reached by background work (the relay, the dispatcher, reminders).</summary>
public static class Poll
{
    /// <summary>Waits until <paramref name="condition"/> holds; fails the test with <paramref name="what"/> after the timeout.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}.");
            }

            await Task.Delay(50);
        }
    }
}
