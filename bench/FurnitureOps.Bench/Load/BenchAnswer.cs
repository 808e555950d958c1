namespace FurnitureOps.Bench.Load;

/// <summary>
/// What a target answered one request: the HTTP status it earned (0: no answer) and, for a reservation, the
/// id its answer named, which the request's follow-up (<see cref="BenchRequest.Then"/>) resolves.
/// </summary>
public sealed record BenchAnswer(int Status, Guid? ReservationId = null)
{
    public bool Succeeded => Status is >= 200 and < 300;
}
