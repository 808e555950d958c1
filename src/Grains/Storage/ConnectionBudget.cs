using System.ComponentModel.DataAnnotations;

namespace FurnitureOps.Grains.Storage;

/// <summary>
/// How many PostgreSQL connections one silo may hold, by purpose (configuration section <c>Storage:Connections</c>).
/// Each purpose is a pool of its own, so one purpose under load cannot take another's connections, and the
/// total is fixed: <see cref="Total"/> per silo whatever the load. Work that finds its pool busy waits for a
/// connection; waiting is not a failure and never opens the storage breaker.
/// </summary>
/// <remarks>
/// The defaults (1 + 5 + 3 + 4 = 13) let 4 silos and 2 API instances (2 each) share PostgreSQL's default
/// <c>max_connections</c> of 100 (97 for non-superusers) with 41 to spare: 4 × 13 + 2 × 2 = 56.
/// </remarks>
public sealed class ConnectionBudget
{
    /// <summary>
    /// Lanes of the commit pipeline, one connection each: how many shared transactions run at once. One lane
    /// carries the most grains per transaction; measured on 2 cores, a second lane gave no more throughput and
    /// twice the statements per effect (docs/benchmarks.md). More lanes suit a server with more cores.
    /// </summary>
    [Range(1, 64)]
    public int CommitLanes { get; set; } = 1;

    /// <summary>Grain reads: activations, ledger, audit and feed pages, saga steps, webhook and alert settings.</summary>
    [Range(1, 256)]
    public int Grains { get; set; } = 5;

    /// <summary>Background work: outbox relay, delivery dispatcher and internal consumers, janitor, backlog gauges, health checks.</summary>
    [Range(1, 256)]
    public int Workers { get; set; } = 3;

    /// <summary>Orleans' ADO.NET providers together: membership, grain storage and reminders.</summary>
    [Range(1, 256)]
    public int Orleans { get; set; } = 4;

    public int Total => CommitLanes + Grains + Workers + Orleans;
}
