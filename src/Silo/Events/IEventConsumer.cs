using Npgsql;

namespace FurnitureOps.Silo.Events;

/// <summary>
/// An internal subscriber: a projection or reaction inside the silo. The dispatcher calls it inside a
/// transaction that first records <c>(consumer, event id)</c> in <c>processed_events</c>; if that row already
/// exists the event was applied before and the consumer is not called. Whatever the consumer writes through
/// the given connection commits together with that record, so each event is applied exactly once however
/// often it is delivered.
/// </summary>
public interface IEventConsumer
{
    /// <summary>Stable name: the subscriber is <c>consumer:{Name}</c> and <c>processed_events.consumer</c>.</summary>
    string Name { get; }

    /// <summary>Event types this consumer receives start with this (e.g. "inventory.").</summary>
    string TypePrefix { get; }

    /// <summary>Applies the event. Must tolerate members it does not know in the event's data.</summary>
    Task ApplyAsync(PublishedEvent published, NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken);
}
