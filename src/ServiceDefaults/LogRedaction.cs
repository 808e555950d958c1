using System.Text.RegularExpressions;

namespace FurnitureOps.ServiceDefaults;

/// <summary>
/// What must never reach a log line, and how it is masked: by property name (passwords, secrets, tokens,
/// signatures, personal contact data) and by value pattern (bearer tokens, JWTs, request signatures, e-mail
/// addresses, phone numbers, connection-string passwords), wherever they appear in a value.
/// </summary>
public static partial class LogRedaction
{
    public const string Mask = "***";

    private static readonly string[] SensitiveNames =
        ["password", "secret", "token", "authorization", "signature", "apikey", "cookie", "email", "phone", "playername"];

    public static bool IsSensitiveName(string propertyName) =>
        SensitiveNames.Any(name => propertyName.Contains(name, StringComparison.OrdinalIgnoreCase));

    public static string Redact(string value)
    {
        value = Bearer().Replace(value, "Bearer " + Mask);
        value = Jwt().Replace(value, Mask);
        value = PasswordSetting().Replace(value, "${key}=" + Mask);
        value = Email().Replace(value, Mask);
        value = Signature().Replace(value, Mask);
        return Phone().Replace(value, Mask);
    }

    [GeneratedRegex(@"Bearer\s+[^\s""',;]+", RegexOptions.IgnoreCase)]
    private static partial Regex Bearer();

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?<key>password|pwd|secret)\s*=\s*[^;\s""']+", RegexOptions.IgnoreCase)]
    private static partial Regex PasswordSetting();

    // RFC 5322 is wider; this catches every address a person or a terminal actually sends.
    [GeneratedRegex(@"[A-Za-z0-9._%+-]+(@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();

    // X-Signature values: base64 of a 32-byte HMAC-SHA256.
    [GeneratedRegex(@"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{43}=")]
    private static partial Regex Signature();

    // International numbers only (+ country code): bare digit runs are ids, amounts and timestamps.
    [GeneratedRegex(@"(\+|%2B)\d[\d\s().-]{6,}\d")]
    private static partial Regex Phone();
}
