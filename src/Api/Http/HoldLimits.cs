namespace FurnitureOps.Api.Http;

/// <summary>How long a hold may last, for every kind (stock reservations, points holds): 1–86,400 s, 900 by default.</summary>
public static class HoldLimits
{
    public const int MaxExpiresInSeconds = 86_400;
    public const int DefaultExpiresInSeconds = 900;

    /// <summary>When a hold asked for now with <paramref name="expiresInSeconds"/> (or the default) expires.</summary>
    public static DateTimeOffset ExpiresAt(TimeProvider time, int? expiresInSeconds) =>
        time.GetUtcNow().AddSeconds(expiresInSeconds ?? DefaultExpiresInSeconds);
}
