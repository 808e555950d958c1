namespace FurnitureOps.Grains.Interfaces.Ledger;

/// <summary>
/// What travels with every mutation besides the command itself: the caller's idempotency key and the
/// fingerprint of the request it was first used with, who is acting, and the request id for tracing.
/// </summary>
/// <param name="IdempotencyKey">The client's <c>Idempotency-Key</c>; scoped by the grain to tenant + target.</param>
/// <param name="Fingerprint">SHA-256 of method, route template and canonical body, computed by the API.</param>
/// <param name="Actor">The acting principal (the token's <c>sub</c>).</param>
/// <param name="RequestId">The request id, written into ledger and audit rows.</param>
[GenerateSerializer, Immutable, Alias("fo.command-context")]
public sealed record CommandContext(string IdempotencyKey, string Fingerprint, string Actor, string RequestId);
