using System.Globalization;
using System.Net;
using System.Text;
using FurnitureOps.Api.Auth;
using FurnitureOps.ServiceDefaults;
using FurnitureOps.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace FurnitureOps.Tests.Api;

/// <summary>Secrets and personal data never reach a log line.</summary>
[Collection(ApiDefinition.Name)]
public sealed class LogRedactionTests(ApiFixture api)
{
    private const string Email = "jane.doe@example.com";

    [Fact]
    public void EnricherMasksSecretsAndPersonalDataInValuesAndNamedProperties()
    {
        var token = DevTokens.Issue(api.SigningKey, "t", "staff", Scopes.All, TimeSpan.FromMinutes(5));
        var signature = Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i * 7)).ToArray());
        var sink = new RenderedSink();
        using var logger = new LoggerConfiguration().Enrich.With<RedactingEnricher>().WriteTo.Sink(sink).CreateLogger();

        logger.Information("Header {Header} token {Raw} sig {Sig} contact {Contact} phone {Phone} db {Db} secret {ClientSecret} user {@User}",
            $"Bearer {token}", token, signature, $"mail to {Email}", "+44 20 7946 0000",
            "Host=db;Username=app;Password=hunter2;Database=x", "s3cr3t-value", new { Name = "Jane", Email });

        var line = Assert.Single(sink.Lines);
        foreach (var secret in new[] { token, signature, Email, "+44 20 7946 0000", "hunter2", "s3cr3t-value" })
        {
            Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
        }

        Assert.Contains("Bearer ***", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LogsOfRequestsCarryingATokenASignatureAndAnEmailContainNoneOfThem()
    {
        var logs = new CapturedLogs(Microsoft.Extensions.Logging.LogLevel.Debug);
        await using var instance = api.CreateApi(api.ClusterId, new Dictionary<string, string?>
        {
            ["Serilog:MinimumLevel:Default"] = "Debug",
            ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Debug",
            ["Serilog:MinimumLevel:Override:Orleans"] = "Warning",
        }, logs);
        await ApiFixture.WaitUntilReadyAsync(instance.CreateClient());
        var token = api.Token($"t-{Guid.NewGuid():N}", []);
        var path = $"/v1/players/P-1/loyalty?contact={Email}";

        var withToken = instance.CreateClient();
        withToken.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var tokenResponse = await withToken.GetAsync(path);
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HmacSignature.Compute(api.HmacSecret, timestamp, "GET", path, string.Empty));
        var signed = new HttpRequestMessage(HttpMethod.Get, path);
        signed.Headers.Add(HmacSignature.KeyIdHeader, "pos-1");
        signed.Headers.Add(HmacSignature.TimestampHeader, timestamp);
        signed.Headers.Add(HmacSignature.SignatureHeader, signature);
        var signedResponse = await instance.CreateClient().SendAsync(signed);

        Assert.Equal(HttpStatusCode.NotFound, tokenResponse.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, signedResponse.StatusCode);
        var captured = logs.Entries.Select(e => e.Message + " " + string.Join(' ', e.Scope.Values)).ToList();
        Assert.Contains(captured, line => line.Contains("/v1/players/P-1/loyalty", StringComparison.Ordinal));
        foreach (var secret in new[] { token, signature, Email, Uri.EscapeDataString(Email) })
        {
            Assert.DoesNotContain(captured, line => line.Contains(secret, StringComparison.Ordinal));
        }
    }

    private sealed class RenderedSink : ILogEventSink
    {
        public List<string> Lines { get; } = [];

        public void Emit(LogEvent logEvent)
        {
            var text = new StringBuilder(logEvent.RenderMessage(CultureInfo.InvariantCulture));
            foreach (var (name, value) in logEvent.Properties)
            {
                text.Append(' ').Append(name).Append('=').Append(value);
            }

            Lines.Add(text.ToString());
        }
    }
}
