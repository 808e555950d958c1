using FurnitureOps.Grains.Events;
using Microsoft.AspNetCore.DataProtection;

namespace FurnitureOps.Silo.Events;

/// <summary>
/// Webhook secrets protected with ASP.NET Core Data Protection (authenticated encryption, keys in
/// <c>data_protection_keys</c>, rolled every 90 days; older keys stay in the ring to read older secrets).
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider provider) : IWebhookSecrets
{
    // A purpose of its own: a payload protected for anything else cannot be read as a secret, nor the reverse.
    private readonly IDataProtector _protector = provider.CreateProtector("FurnitureOps.Webhooks.Secret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Reveal(string stored, bool isProtected) => isProtected ? _protector.Unprotect(stored) : stored;
}
