using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using FurnitureOps.Tests.Infrastructure;

namespace FurnitureOps.Tests.Events;

/// <summary>What a receiver does with a delivery, written from the documented contract (not the sender's code).</summary>
public static class WebhookSignatures
{
    public static bool Verify(ReceivedDelivery delivery, string secret)
    {
        if (!long.TryParse(delivery.Timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300)
        {
            return false;
        }

        var signed = Encoding.UTF8.GetBytes(delivery.Timestamp + ".").Concat(delivery.Body).ToArray();
        var expected = "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(delivery.Signature));
    }
}
