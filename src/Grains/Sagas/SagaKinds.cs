using FurnitureOps.Grains.Holds;
using FurnitureOps.Grains.Interfaces.Holds;
using FurnitureOps.Grains.Interfaces.Pos;
using FurnitureOps.Grains.Interfaces.RatingSlips;
using FurnitureOps.Grains.Interfaces.Sagas;
using FurnitureOps.Grains.Pos;
using FurnitureOps.Grains.RatingSlips;

namespace FurnitureOps.Grains.Sagas;

/// <summary>A kind of saga: its table, and the grain that owns a row of it (by the grain key <c>tenant/id</c>).</summary>
public sealed record SagaKind(SagaTable Table, Func<IGrainFactory, string, ISagaGrain> Grain);

/// <summary>Every kind of saga the sweeper resumes.</summary>
public static class SagaKinds
{
    public static readonly IReadOnlyList<SagaKind> All =
    [
        new(PosEventGrain.Table, (grains, key) => grains.GetGrain<IPosEventGrain>(key)),
        new(RatingSlipGrain.Table, (grains, key) => grains.GetGrain<IRatingSlipGrain>(key)),
        new(StockHoldGrain.Table, (grains, key) => grains.GetGrain<IStockHoldGrain>(key)),
    ];
}
