namespace FurnitureOps.Bench.Load;

/// <summary>One request of a run: a POST of <paramref name="Body"/> to <paramref name="Path"/> under an idempotency key.</summary>
public sealed record BenchRequest(string Path, string Body, string IdempotencyKey);
