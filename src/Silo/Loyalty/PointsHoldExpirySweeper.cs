using FurnitureOps.Grains;
using FurnitureOps.Grains.Interfaces.Loyalty;
using FurnitureOps.Silo.Events;
using Microsoft.Extensions.Options;
using Npgsql;

namespace FurnitureOps.Silo.Loyalty;

/// <summary>
/// Expires held points holds whose time is up (by the partial index of migration 0015): each player with one is
/// asked to expire them, each with its ledger row, audit row and <c>loyalty.points_hold_expired.v1</c> event.
/// </summary>
public sealed class PointsHoldExpirySweeper(
    NpgsqlDataSource dataSource,
    IGrainFactory grains,
    GrainClock clock,
    IOptions<PointsHoldOptions> sweeper,
    IOptions<EventDeliveryOptions> options,
    ILogger<PointsHoldExpirySweeper> logger)
    : HoldExpirySweeper<PointsHoldOptions>("loyalty_holds", "player_id", dataSource, clock, sweeper, options, logger)
{
    protected override Task ExpireDueAsync(string ownerKey) => grains.GetGrain<IPlayerLoyaltyGrain>(ownerKey).ExpireDueHoldsAsync();
}
