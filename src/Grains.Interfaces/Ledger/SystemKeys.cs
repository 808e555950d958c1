namespace FurnitureOps.Grains.Interfaces.Ledger;

/// <summary>
/// The idempotency keys the system's own sagas send to the ledger grains (a POS event's stock and points
/// steps, a rating slip's accrual). They share each grain's key space with client keys, so they live under a
/// prefix clients may not use: the API refuses any <c>Idempotency-Key</c> that starts with
/// <see cref="Prefix"/>, in any case, with 400 <c>idempotency_key_reserved</c>. No client can take a step's
/// key first and make the step fail as "key reused".
/// </summary>
public static class SystemKeys
{
    /// <summary>What every system key starts with.</summary>
    public const string Prefix = "system:";

    /// <summary>Whether a client may not send <paramref name="key"/>.</summary>
    public static bool IsReserved(string key) => key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The key of one step of one saga instance: <c>system:{saga}/{instance}/{step}</c>. Each part is a UUID,
    /// a validated identifier ([A-Za-z0-9._-]) or a fixed word, none of which contains '/', so two different
    /// steps never share a key.
    /// </summary>
    public static string For(string saga, string instance, string step) => $"{Prefix}{saga}/{instance}/{step}";
}
