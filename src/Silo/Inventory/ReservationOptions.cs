namespace FurnitureOps.Silo.Inventory;

/// <summary>The reservations' expiry sweeper (configuration section <c>Reservations</c>), as every holds' sweeper.</summary>
public sealed class ReservationOptions : HoldSweeperOptions;
