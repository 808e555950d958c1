using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Http;
using FurnitureOps.Grains.Interfaces;
using FurnitureOps.Grains.Interfaces.Inventory;
using Microsoft.AspNetCore.Http.HttpResults;

namespace FurnitureOps.Api.Inventory;

/// <summary>
/// Reservations of a SKU's stock: held with an expiry, then committed (sold), released, or expired by the
/// system, once. Every mutation takes an <c>Idempotency-Key</c> like any other; a resend replays the first answer.
/// </summary>
public static class ReservationsApi
{
    public static RouteGroupBuilder MapReservationsApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/inventory/{sku}/reservations").WithTags("Inventory");

        api.MapPost("", Reserve).RequireAuthorization(Scopes.InventoryWrite);
        api.MapGet("/{reservationId}", Get).RequireAuthorization(Scopes.InventoryRead);
        api.MapPost("/{reservationId}/commit", Commit).RequireAuthorization(Scopes.InventoryWrite);
        api.MapPost("/{reservationId}/release", Release).RequireAuthorization(Scopes.InventoryWrite);

        return api;
    }

    public static Task<Results<Created<ReservationResponse>, Ok<ReservationResponse>, ProblemHttpResult>> Reserve(
        string sku, ReservationRequest request, HttpContext http, IClusterClient cluster, TimeProvider time)
    {
        // A new id for a new reservation; a resend under the same key replays the first answer and its id.
        var command = new ReserveStock(Guid.CreateVersion7(), request.Quantity!.Value, HoldLimits.ExpiresAt(time, request.ExpiresInSeconds), request.Reference);
        return SendAsync(http, cluster, sku, request, command, created: true);
    }

    public static async Task<Results<Ok<ReservationResponse>, ProblemHttpResult>> Get(
        string sku, string reservationId, HttpContext http, IClusterClient cluster)
    {
        if (Invalid(sku, reservationId, out var id) is { } invalid)
        {
            return invalid;
        }

        var grain = cluster.GetGrain<ISkuGrain>(TenantKey.Format(http.User.Tenant(), sku));
        return await grain.GetReservationAsync(id) is { } reservation
            ? TypedResults.Ok(ReservationResponse.From(reservation, item: null))
            : SkuOutcomes.Rejection(new SkuRejection(SkuRejection.ReservationNotFound));
    }

    public static async Task<Results<Created<ReservationResponse>, Ok<ReservationResponse>, ProblemHttpResult>> Commit(
        string sku, string reservationId, CommitReservationRequest? request, HttpContext http, IClusterClient cluster) =>
        Invalid(sku, reservationId, out var id) is { } invalid
            ? invalid
            : await SendAsync(http, cluster, sku, new { reservationId = id, quantity = request?.Quantity },
                new CommitReservation(id, request?.Quantity), created: false);

    public static async Task<Results<Created<ReservationResponse>, Ok<ReservationResponse>, ProblemHttpResult>> Release(
        string sku, string reservationId, HttpContext http, IClusterClient cluster) =>
        Invalid(sku, reservationId, out var id) is { } invalid
            ? invalid
            : await SendAsync(http, cluster, sku, new { reservationId = id }, new ReleaseReservation(id), created: false);

    private static async Task<Results<Created<ReservationResponse>, Ok<ReservationResponse>, ProblemHttpResult>> SendAsync<TBody>(
        HttpContext http, IClusterClient cluster, string sku, TBody body, SkuCommand command, bool created)
    {
        var (outcome, problem) = await SkuCommandSender.ExecuteAsync(http, cluster, sku, body, command);
        if (problem is not null)
        {
            return problem;
        }

        var reply = outcome!.Reply!;
        if (reply.Item is null)
        {
            return SkuOutcomes.Rejection(reply.Rejection!);
        }

        var response = ReservationResponse.From(reply.Reservation!, reply.Item);
        return created
            ? TypedResults.Created($"/v1/inventory/{sku}/reservations/{response.ReservationId}", response)
            : TypedResults.Ok(response);
    }

    private static ProblemHttpResult? Invalid(string sku, string reservationId, out Guid id)
    {
        id = default;
        if (!TenantKey.IsValidIdentifier(sku))
        {
            return Problems.Validation("sku", "sku must be 1-64 of [A-Za-z0-9._-].");
        }

        return Guid.TryParseExact(reservationId, "D", out id) ? null : Problems.Validation("reservationId", "reservationId must be a UUID.");
    }
}
