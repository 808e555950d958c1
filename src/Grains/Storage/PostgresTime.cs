namespace FurnitureOps.Grains.Storage;

/// <summary>Times as PostgreSQL keeps them.</summary>
public static class PostgresTime
{
    /// <summary>
    /// <paramref name="time"/> cut to whole microseconds, PostgreSQL's precision: a time held in memory must
    /// equal what a reload reads back, or a comparison would change its answer across a reactivation.
    /// </summary>
    public static DateTimeOffset Microseconds(DateTimeOffset time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerMicrosecond), time.Offset);
}
