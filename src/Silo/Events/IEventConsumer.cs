using Npgsql;

namespace FurnitureOps.Silo.Events;

/// <summary>
/// An internal subscriber: a projection or reaction inside the silo. The dispatcher hands it a round of
/// events inside a transaction that first records each <c>(consumer, event id)</c> in <c>processed_events</c>;
/// events recorded before were applied before and are left out. Whatever the consumer writes through the
/// given connection commits together with those records, so each event is applied exactly once however often
/// it is delivered.
/// </summary>
public interface IEventConsumer
{
    /// <summary>Stable name: the subscriber is <c>consumer:{Name}</c> and <c>processed_events.consumer</c>.</summary>
    string Name { get; }

    /// <summary>Event types this consumer receives start with this (e.g. "inventory.").</summary>
    string TypePrefix { get; }

    /// <summary>
    /// Applies a round of events, none applied before, ordered by aggregate and then feed position. Must
    /// tolerate members it does not know in the events' data. Set-based work is expected: a round may hold
    /// <c>Events:DeliveryBatchSize</c> events.
    /// </summary>
    Task ApplyAsync(IReadOnlyList<PublishedEvent> events, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken);
}
