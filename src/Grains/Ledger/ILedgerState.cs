namespace FurnitureOps.Grains.Ledger;

/// <summary>
/// State kept by a ledger grain. <see cref="Version"/> counts accepted effects: 0 means the entity has no
/// state row yet, and every accepted command moves it up by exactly one (it is the ledger row's key).
/// </summary>
public interface ILedgerState
{
    long Version { get; }
}
