using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FurnitureOps.Tests.Infrastructure;

/// <summary>One webhook request as the receiver saw it.</summary>
public sealed record ReceivedDelivery(string EventId, string EventType, string Timestamp, string Signature, int Attempt, byte[] Body);

/// <summary>
/// A webhook receiver on 127.0.0.1: records every request and answers with the status the test's policy picks
/// (the policy may also wait, to hold a delivery in flight).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<ReceivedDelivery> Received { get; } = new();

    public string Url => $"{_app.Urls.First()}/hook";

    public static async Task<WebhookReceiver> StartAsync(Func<ReceivedDelivery, Task<int>> respond)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            var delivery = new ReceivedDelivery(
                request.Headers["X-FurnitureOps-Event-Id"].ToString(),
                request.Headers["X-FurnitureOps-Event-Type"].ToString(),
                request.Headers["X-FurnitureOps-Timestamp"].ToString(),
                request.Headers["X-FurnitureOps-Signature"].ToString(),
                int.TryParse(request.Headers["X-FurnitureOps-Delivery-Attempt"], out var attempt) ? attempt : 0,
                body.ToArray());
            receiver.Received.Enqueue(delivery);
            return Results.StatusCode(await respond(delivery));
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
