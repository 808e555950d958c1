using System.Globalization;
using System.Text.RegularExpressions;
using FurnitureOps.Api.Auth;
using FurnitureOps.Api.Http;
using FurnitureOps.Api.Idempotency;
using FurnitureOps.Api.Inventory;
using FurnitureOps.Grains.Interfaces.Events;
using FurnitureOps.Grains.Interfaces.Ledger;
using FurnitureOps.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace FurnitureOps.Api.Events;

/// <summary>Event delivery to the outside: the pull feed, webhook subscriptions, dead letters and stock alerts.</summary>
public static partial class EventsApi
{
    public const int MaxFeedLimit = 500;

    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/events", Feed).WithTags("Events").RequireAuthorization(Scopes.EventsRead);

        var webhooks = routes.MapGroup("/v1/webhooks").WithTags("Events").RequireAuthorization(Scopes.WebhooksAdmin);
        webhooks.MapPost("", Register);
        webhooks.MapGet("", List);
        webhooks.MapDelete("/{id}", Delete);

        var deadLetters = routes.MapGroup("/v1/admin/dead-letters").WithTags("Events").RequireAuthorization(Scopes.WebhooksAdmin);
        deadLetters.MapGet("", DeadLetters);
        deadLetters.MapPost("/{id}/retry", Retry);
        deadLetters.MapPost("/retry", RetryAll);

        var alerts = routes.MapGroup("/v1/stock-alerts").WithTags("Inventory");
        alerts.MapGet("", StockAlerts).RequireAuthorization(Scopes.InventoryRead);
        alerts.MapPut("/{sku}", SetReorderPoint).RequireAuthorization(Scopes.InventoryAdmin);
        return routes;
    }

    /// <summary>The caller's tenant's events after the cursor, in publication order.</summary>
    public static async Task<Results<Ok<EventPage>, ProblemHttpResult>> Feed(string? after, int? limit, HttpContext http, IClusterClient cluster)
    {
        var errors = new Dictionary<string, string[]>();
        long position = 0;
        if (after is not null && !(long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out position)))
        {
            errors["after"] = ["after must be a cursor returned as 'next' (or absent to start at the beginning)."];
        }

        if (limit is < 1 or > MaxFeedLimit)
        {
            errors["limit"] = [$"limit must be 1-{MaxFeedLimit}."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var events = await cluster.GetGrain<IEventFeedGrain>(0).ReadAsync(http.User.Tenant(), position, limit ?? Paging.DefaultLimit);
        var next = events.Count > 0 ? events[^1].Position : position;
        return TypedResults.Ok(new EventPage(events.Select(EventResponse.From).ToList(), next.ToString(CultureInfo.InvariantCulture)));
    }

    public static async Task<Results<Created<WebhookResponse>, ProblemHttpResult>> Register(
        RegisterWebhookRequest request, HttpContext http, IClusterClient cluster, IOptions<WebhookOptions> options,
        WebhookDestinations destinations)
    {
        if (Invalid(request, options.Value) is { } errors)
        {
            return Problems.Validation(errors);
        }

        if (await destinations.RefusalAsync(new Uri(request.Url!), http.RequestAborted) is { } refusal)
        {
            return Problems.Create(StatusCodes.Status400BadRequest, ProblemCodes.WebhookUrlForbidden, "The webhook URL points inside the network.",
                $"{refusal}. Webhooks may only reach public addresses, unless Webhooks:AllowedDestinations permits the host.");
        }

        if (!CommandContexts.TryCreate(http, request, out var context, out var problem))
        {
            return problem!;
        }

        var registration = new WebhookRegistration(request.Url!, request.EventTypes ?? [], request.Secret!);
        var outcome = await cluster.GetGrain<IWebhookRegistryGrain>(0).RegisterAsync(http.User.Tenant(), registration, context);
        if (CommandContexts.KeyReusedOrMarkReplay(http, outcome) is { } keyReused)
        {
            return keyReused;
        }

        var subscription = WebhookResponse.From(outcome.Reply!);
        return TypedResults.Created($"/v1/webhooks/{subscription.Id}", subscription);
    }

    public static async Task<Ok<WebhookList>> List(HttpContext http, IClusterClient cluster) =>
        TypedResults.Ok(new WebhookList(
            (await cluster.GetGrain<IWebhookRegistryGrain>(0).ListAsync(http.User.Tenant())).Select(WebhookResponse.From).ToList()));

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(string id, HttpContext http, IClusterClient cluster)
    {
        if (!Guid.TryParseExact(id, "D", out var subscriptionId))
        {
            return Problems.Validation("id", "id must be a webhook id (a UUID).");
        }

        return await cluster.GetGrain<IWebhookRegistryGrain>(0).DeleteAsync(http.User.Tenant(), subscriptionId)
            ? TypedResults.NoContent()
            : Problems.Create(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "No such webhook.");
    }

    public static async Task<Results<Ok<DeadLetterList>, ProblemHttpResult>> DeadLetters(int? limit, HttpContext http, IClusterClient cluster)
    {
        if (Paging.InvalidLimit(limit) is { } invalid)
        {
            return invalid;
        }

        return TypedResults.Ok(new DeadLetterList(
            await cluster.GetGrain<IEventFeedGrain>(0).DeadLettersAsync(http.User.Tenant(), limit ?? Paging.DefaultLimit)));
    }

    /// <summary>Puts a dead letter back in line. Naturally idempotent, so no Idempotency-Key is needed.</summary>
    public static async Task<Results<Accepted, ProblemHttpResult>> Retry(string id, HttpContext http, IClusterClient cluster) =>
        await cluster.GetGrain<IEventFeedGrain>(0).RetryDeadLetterAsync(http.User.Tenant(), id)
            ? TypedResults.Accepted((string?)null)
            : Problems.Create(StatusCodes.Status404NotFound, ProblemCodes.NotFound, "No such dead letter.",
                "Dead letters are named 'outbox:{id}' or 'delivery:{id}'; a retried one is no longer dead.");

    /// <summary>Puts every dead delivery to one subscriber back in line; as idempotent as retrying one, so no Idempotency-Key.</summary>
    public static async Task<Ok<DeadLettersRetried>> RetryAll(RetryDeadLettersRequest request, HttpContext http, IClusterClient cluster) =>
        TypedResults.Ok(new DeadLettersRetried(
            await cluster.GetGrain<IEventFeedGrain>(0).RetrySubscriberDeadLettersAsync(http.User.Tenant(), request.Subscriber!)));

    public static async Task<Ok<StockAlertList>> StockAlerts(bool? lowOnly, HttpContext http, IClusterClient cluster) =>
        TypedResults.Ok(new StockAlertList(await cluster.GetGrain<IStockAlertsGrain>(0).ListAsync(http.User.Tenant(), lowOnly ?? false)));

    /// <summary>Sets the SKU's reorder point: the low-stock projection alerts when stock falls to or below it.</summary>
    public static async Task<Results<Ok<StockAlertStatus>, ProblemHttpResult>> SetReorderPoint(
        string sku, ReorderPointRequest request, HttpContext http, IClusterClient cluster)
    {
        if (!SkuPattern().IsMatch(sku))
        {
            return Problems.Validation("sku", "sku must be 1-64 of [A-Za-z0-9._-].");
        }

        return TypedResults.Ok(await cluster.GetGrain<IStockAlertsGrain>(0)
            .SetReorderPointAsync(http.User.Tenant(), sku, request.ReorderPoint!.Value, http.User.Actor()));
    }

    private static Dictionary<string, string[]>? Invalid(RegisterWebhookRequest request, WebhookOptions options)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && options.AllowInsecureUrls))
            || !string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Fragment))
        {
            errors["url"] = [options.AllowInsecureUrls
                ? "url must be an absolute http(s) URL without credentials or fragment."
                : "url must be an absolute https URL without credentials or fragment."];
        }

        var badTypes = (request.EventTypes ?? []).Where(type => type is null || !EventTypePattern().IsMatch(type)).ToList();
        if (badTypes.Count > 0)
        {
            errors["eventTypes"] = ["Each event type must be a versioned type (inventory.sold.v1), a prefix (inventory.*) or *."];
        }

        return errors.Count > 0 ? errors : null;
    }

    [GeneratedRegex(WebhookLimits.EventTypePattern)]
    private static partial Regex EventTypePattern();

    [GeneratedRegex(InventoryLimits.SkuPattern)]
    private static partial Regex SkuPattern();
}
