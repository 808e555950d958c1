using System.Text;
using System.Text.Json;
using FurnitureOps.Bench.Load;

namespace FurnitureOps.Bench.Targets;

/// <summary>
/// A target reached over HTTP: the request's route and JSON body, its key in <c>Idempotency-Key</c>. A
/// reservation's id is read from its answer's <c>reservationId</c>: the server chooses it.
/// </summary>
public abstract class HttpTarget(string name, Uri baseAddress, int maxConnections) : Target(name)
{
    /// <summary>One client for every simulated caller, with a connection each: callers never queue in the pool.</summary>
    public HttpClient Http { get; } = new(new SocketsHttpHandler { MaxConnectionsPerServer = maxConnections, UseCookies = false })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Marks the request as coming from caller <paramref name="client"/> of <paramref name="tenant"/>.</summary>
    public abstract void Identify(HttpRequestMessage request, string tenant, int client);

    public override async Task<BenchAnswer> SendAsync(BenchRequest request, string tenant, int client, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Path)
        {
            Content = new StringContent(request.Body, Encoding.UTF8, "application/json"),
        };
        message.Headers.Add("Idempotency-Key", request.IdempotencyKey);
        Identify(message, tenant, client);
        try
        {
            using var response = await Http.SendAsync(message, cancellationToken);
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            if (request.Operation != Operation.Reserve || !response.IsSuccessStatusCode)
            {
                return new BenchAnswer((int)response.StatusCode);
            }

            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
            return new BenchAnswer((int)response.StatusCode, body.RootElement.GetProperty("reservationId").GetGuid());
        }
        catch (Exception error) when (error is HttpRequestException or TaskCanceledException)
        {
            return new BenchAnswer(0);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Http.Dispose();
        }

        base.Dispose(disposing);
    }
}
