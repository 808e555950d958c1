using System.Security.Cryptography;
using System.Text;

namespace FurnitureOps.Api.Auth;

/// <summary>
/// The signature of a machine request: base64 HMAC-SHA256 of <c>"{timestamp}.{METHOD}.{path-and-query}.{body}"</c>
/// with the client's shared secret. Clients compute it the same way (see <c>dev-token</c>'s sibling <c>sign</c>).
/// </summary>
public static class HmacSignature
{
    public const string KeyIdHeader = "X-Key-Id";
    public const string TimestampHeader = "X-Timestamp";
    public const string SignatureHeader = "X-Signature";

    public static byte[] Compute(string secret, string timestamp, string method, string pathAndQuery, string body) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{method.ToUpperInvariant()}.{pathAndQuery}.{body}"));

    /// <summary>
    /// <c>FurnitureOps.Api sign --key-id K --secret S --method POST --path /v1/... [--body '{...}']</c>: prints the
    /// three headers for a request sent now, ready for curl.
    /// </summary>
    public static int RunCommand(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddCommandLine(args).Build();
        string? keyId = configuration["key-id"], secret = configuration["secret"], method = configuration["method"], path = configuration["path"];
        if (keyId is null || secret is null || method is null || path is null)
        {
            Console.Error.WriteLine("sign: --key-id, --secret, --method and --path are required; --body is the exact body sent.");
            return 2;
        }

        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(Compute(secret, timestamp, method, path, configuration["body"] ?? string.Empty));
        Console.WriteLine($"-H '{KeyIdHeader}: {keyId}' -H '{TimestampHeader}: {timestamp}' -H '{SignatureHeader}: {signature}'");
        return 0;
    }
}
