using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace FurnitureOps.Silo.Events;

/// <summary>
/// Posts one event to one webhook, signed: <c>X-FurnitureOps-Signature: v1=hex(HMAC-SHA256(secret, "{timestamp}.{body}"))</c>
/// with <c>X-FurnitureOps-Timestamp</c> in Unix seconds, so a receiver can check both origin and freshness.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory httpClients, TimeProvider time)
{
    public const string HttpClientName = "webhooks";
    public const string EventIdHeader = "X-FurnitureOps-Event-Id";
    public const string EventTypeHeader = "X-FurnitureOps-Event-Type";
    public const string TimestampHeader = "X-FurnitureOps-Timestamp";
    public const string SignatureHeader = "X-FurnitureOps-Signature";
    public const string AttemptHeader = "X-FurnitureOps-Delivery-Attempt";

    /// <summary>Null when the receiver answered 2xx; otherwise why the attempt failed.</summary>
    public async Task<string?> SendAsync(PublishedEvent published, Uri url, string secret, int attempt, CancellationToken cancellationToken)
    {
        var body = published.ToEnvelopeJson();
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(EventIdHeader, published.EventId.ToString());
        request.Headers.Add(EventTypeHeader, published.Type);
        request.Headers.Add(TimestampHeader, timestamp);
        request.Headers.Add(SignatureHeader, "v1=" + Sign(secret, timestamp, body));
        request.Headers.Add(AttemptHeader, attempt.ToString(CultureInfo.InvariantCulture));

        try
        {
            using var response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException error)
        {
            return $"request failed: {error.Message}";
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timed out";
        }
    }

    public static string Sign(string secret, string timestamp, byte[] body)
    {
        var signed = new byte[timestamp.Length + 1 + body.Length];
        Encoding.ASCII.GetBytes(timestamp, signed);
        signed[timestamp.Length] = (byte)'.';
        body.CopyTo(signed, timestamp.Length + 1);
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }
}
