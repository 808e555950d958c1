namespace FurnitureOps.Api.Http;

/// <summary>The stable <c>code</c> member of every problem+json response. Clients branch on these, never on titles.</summary>
public static class ProblemCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string PayloadTooLarge = "payload_too_large";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string PosEventNotNeedingAttention = "pos_event_not_needing_attention";
    public const string PosEventNotPending = "pos_event_not_pending";
    public const string IdempotencyKeyMissing = "idempotency_key_missing";
    public const string IdempotencyKeyInvalid = "idempotency_key_invalid";
    public const string IdempotencyKeyReserved = "idempotency_key_reserved";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string StorageUnavailable = "storage_unavailable";
    public const string ClusterUnavailable = "cluster_unavailable";
    public const string Overloaded = "overloaded";
    public const string InternalError = "internal_error";
    public const string RewardExceedsLimit = "reward_exceeds_limit";
    public const string RateLimited = "rate_limited";
    public const string SignatureMissing = "signature_missing";
    public const string SignatureInvalid = "signature_invalid";
    public const string TimestampOutOfWindow = "timestamp_out_of_window";
    public const string SignatureReplayed = "signature_replayed";
    public const string WebhookUrlForbidden = FurnitureOps.ServiceDefaults.WebhookDestinations.ForbiddenCode;
}
