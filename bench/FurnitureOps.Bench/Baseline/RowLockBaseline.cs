using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FurnitureOps.Api.Http;
using FurnitureOps.Api.Inventory;
using Npgsql;

namespace FurnitureOps.Bench.Baseline;

/// <summary>
/// The seeds' design without actors, served over HTTP on the same routes as FurnitureOps: each request is one
/// PostgreSQL function call in its own transaction (<c>baseline.sql</c>). Tenant from <c>X-Tenant</c>; no
/// authentication or rate limiting, and an outbox row only where FurnitureOps' effect is a reservation's, so it
/// is the least an HTTP endpoint doing this can cost.
/// </summary>
public sealed class RowLockBaseline : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RowLockBaseline(WebApplication app, NpgsqlDataSource database)
    {
        _app = app;
        Database = database;
    }

    public NpgsqlDataSource Database { get; }

    public Uri BaseAddress => new(_app.Urls.First());

    /// <summary>The baseline's connections' <c>application_name</c>, so the bench can count them in <c>pg_stat_activity</c>.</summary>
    public const string ApplicationName = "rowlock-baseline";

    /// <summary>The database the bench gives the baseline on its server.</summary>
    public const string DefaultDatabase = "bench_baseline";

    /// <summary>Creates the baseline's database on the server (afresh), loads its schema and starts listening on 127.0.0.1.</summary>
    /// <param name="adminConnectionString">A superuser connection to the server.</param>
    /// <param name="databaseName">The database to create; an existing one of that name is dropped first.</param>
    public static async Task<RowLockBaseline> StartAsync(string adminConnectionString, string databaseName = DefaultDatabase)
    {
        await using (var admin = NpgsqlDataSource.Create(adminConnectionString))
        {
            await admin.CreateCommand($"DROP DATABASE IF EXISTS \"{databaseName}\" WITH (FORCE)").ExecuteNonQueryAsync();
            await admin.CreateCommand($"CREATE DATABASE \"{databaseName}\"").ExecuteNonQueryAsync();
        }

        var database = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(adminConnectionString)
        {
            Database = databaseName,
            ApplicationName = ApplicationName,

            // The design holds a connection (and a row lock) per request in flight: one per concurrent caller,
            // up to the bench's 75, with room to spare so it is never starved.
            MaxPoolSize = 100,
        }.ConnectionString);
        await using (var schema = typeof(RowLockBaseline).Assembly.GetManifestResourceStream("baseline.sql")!)
        using (var reader = new StreamReader(schema))
        {
            await database.CreateCommand(await reader.ReadToEndAsync()).ExecuteNonQueryAsync();
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/v1/inventory/{sku}/sales", (HttpContext http, string sku) =>
            CallAsync(http, database, "SELECT sell($1, $2, $3, $4, $5)", body => [sku, Positive(body, "quantity")]));
        foreach (var (route, operation) in new[] { ("accruals", "accrue"), ("rewards", "reward"), ("redemptions", "redeem") })
        {
            app.MapPost($"/v1/players/{{playerId}}/loyalty/{route}", (HttpContext http, string playerId) =>
                CallAsync(http, database, "SELECT loyalty($1, $2, $3, $4, $5, $6)", body => [playerId, operation, Positive(body, "points")]));
        }

        app.MapPost("/v1/inventory/{sku}/reservations", (HttpContext http, string sku) =>
            CallAsync(http, database, "SELECT reserve($1, $2, $3, $4, $5, $6, $7)",
                body => [sku, Positive(body, "quantity"), ExpiresInSeconds(body), (object?)body["reference"]?.GetValue<string>() ?? DBNull.Value]));
        foreach (var (route, outcome) in new[] { ("commit", "committed"), ("release", "released") })
        {
            // The whole hold: the bench commits no part of one, so the baseline has no partial commits.
            app.MapPost($"/v1/inventory/{{sku}}/reservations/{{reservationId}}/{route}", (HttpContext http, string sku, string reservationId) =>
                CallAsync(http, database, "SELECT resolve_reservation($1, $2, $3, $4, $5, $6)",
                    body => body.ContainsKey("quantity") ? throw new FormatException() : [sku, Guid.ParseExact(reservationId, "D"), outcome]));
        }

        await app.StartAsync();
        return new RowLockBaseline(app, database);
    }

    /// <summary>Stock rows for a tenant, in one statement (set-up, not measured).</summary>
    public async Task CreateSkusAsync(string tenant, IEnumerable<string> skus, long onHand)
    {
        await using var command = Database.CreateCommand(
            "INSERT INTO stock (tenant_id, sku, on_hand) SELECT $1, unnest($2::text[]), $3");
        command.Parameters.Add(new() { Value = tenant });
        command.Parameters.Add(new() { Value = skus.ToArray() });
        command.Parameters.Add(new() { Value = onHand });
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Database.DisposeAsync();
    }

    private static async Task<IResult> CallAsync(HttpContext http, NpgsqlDataSource database, string sql, Func<JsonObject, object[]> arguments)
    {
        var key = http.Request.Headers["Idempotency-Key"].ToString();
        var tenant = http.Request.Headers["X-Tenant"].ToString();
        using var reader = new StreamReader(http.Request.Body);
        var json = await reader.ReadToEndAsync();
        object[] values;
        try
        {
            var body = JsonNode.Parse(json) as JsonObject;
            values = key.Length == 0 || tenant.Length == 0 || body is null ? throw new FormatException() : arguments(body);
        }
        catch (Exception error) when (error is FormatException or JsonException or InvalidOperationException)
        {
            return Results.Problem(statusCode: 400, title: "Idempotency-Key, X-Tenant and a positive amount are required.");
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{http.Request.Path}\n{json}")));
        await using var command = database.CreateCommand(sql);
        foreach (var value in new object[] { tenant, key, hash }.Concat(values))
        {
            command.Parameters.Add(new() { Value = value });
        }

        var answer = JsonNode.Parse((string)(await command.ExecuteScalarAsync())!)!.AsObject();
        var status = (int)answer["httpStatus"]!;
        answer.Remove("httpStatus");
        return Results.Json(answer, statusCode: status);
    }

    // As FurnitureOps takes it: 1 s to a day, 15 minutes if not given.
    private static int ExpiresInSeconds(JsonObject body)
    {
        var seconds = body["expiresInSeconds"]?.GetValue<int>() ?? HoldLimits.DefaultExpiresInSeconds;
        return seconds is >= 1 and <= HoldLimits.MaxExpiresInSeconds ? seconds : throw new FormatException();
    }

    private static long Positive(JsonObject body, string name)
    {
        var value = body[name]?.GetValue<long>() ?? 0;
        return value > 0 ? value : throw new FormatException();
    }
}
