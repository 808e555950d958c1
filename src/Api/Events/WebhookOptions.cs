namespace FurnitureOps.Api.Events;

/// <summary>Webhook registration rules (configuration section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// Allows <c>http://</c> webhook URLs. Off by default: deliveries carry business data and a signature, and
    /// belong on TLS. Development and the test suite turn it on for receivers on 127.0.0.1.
    /// </summary>
    public bool AllowInsecureUrls { get; set; }
}
