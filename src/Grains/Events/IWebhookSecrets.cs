namespace FurnitureOps.Grains.Events;

/// <summary>Keeps webhook secrets unreadable at rest: what the registry stores, and what the sender signs with.</summary>
public interface IWebhookSecrets
{
    /// <summary>The form to store: <paramref name="secret"/> protected.</summary>
    string Protect(string secret);

    /// <summary>The secret from its stored form; a row stored before protection (<paramref name="isProtected"/> false) holds it in clear.</summary>
    string Reveal(string stored, bool isProtected);
}
