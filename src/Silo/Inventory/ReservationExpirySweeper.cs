using FurnitureOps.Grains;
using FurnitureOps.Grains.Interfaces.Inventory;
using FurnitureOps.Silo.Events;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FurnitureOps.Silo.Inventory;

/// <summary>
/// Expires held reservations whose time is up (by the partial index of migration 0013): each SKU with one is
/// asked to expire them, each with its ledger row, audit row and <c>inventory.reservation_expired.v1</c> event.
/// </summary>
public sealed class ReservationExpirySweeper(
    NpgsqlDataSource dataSource,
    IGrainFactory grains,
    GrainClock clock,
    IOptions<ReservationOptions> sweeper,
    IOptions<EventDeliveryOptions> options,
    ILogger<ReservationExpirySweeper> logger)
    : HoldExpirySweeper<ReservationOptions>("inventory_reservations", "sku", dataSource, clock, sweeper, options, logger)
{
    protected override Task ExpireDueAsync(string ownerKey) => grains.GetGrain<ISkuGrain>(ownerKey).ExpireDueAsync();
}
