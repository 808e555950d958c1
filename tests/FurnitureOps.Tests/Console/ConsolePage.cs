using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using FurnitureOps.Api.Auth;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace FurnitureOps.Tests.Console;

/// <summary>
/// A test's own browser context (so its sessionStorage is its own) on the console, signed in by the development
/// link. Collects what the page reports as errors, including Content-Security-Policy violations, so a test can
/// assert there were none.
/// </summary>
public sealed class ConsolePage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConsoleFixture _fixture;
    private readonly List<string> _errors = [];

    private ConsolePage(IBrowserContext context, IPage page, ConsoleFixture fixture)
    {
        _context = context;
        _fixture = fixture;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => _errors.Add(error);
    }

    public IPage Page { get; }

    /// <summary>Errors the page logged (a refused fetch of a 4xx is logged by Chromium too; tests filter by text).</summary>
    public IReadOnlyList<string> Errors => _errors;

    public static Task<ConsolePage> OpenAsync(ConsoleFixture fixture, string path, string? token) =>
        OpenAsync(fixture, fixture.ApiAddress, path, token);

    /// <summary>The console of another API instance (one with settings of its own, such as OIDC sign-in).</summary>
    public static async Task<ConsolePage> OpenAsync(ConsoleFixture fixture, Uri api, string path, string? token)
    {
        var context = await fixture.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = api.ToString().TrimEnd('/'),
            Locale = "en-US",
            TimezoneId = "UTC",
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        var console = new ConsolePage(context, page, fixture);
        await page.GotoAsync(token is null ? path : $"{path}#token={Uri.EscapeDataString(token)}");
        return console;
    }

    public static string Token(ConsoleFixture fixture, string tenant, params string[] scopes) =>
        DevTokens.Issue(fixture.SigningKey, tenant, "staff-console", scopes.Length == 0 ? Scopes.All : scopes, TimeSpan.FromHours(1));

    /// <summary>The main heading, once the view has rendered it.</summary>
    public ILocator Heading => Page.Locator("main h1");

    public ILocator Figure(string name) => Page.Locator($"[data-figure='{name}'] dd");

    /// <summary>Keeps a screenshot of the whole page under TestResults/console/.</summary>
    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_fixture.ScreenshotDirectory, $"{name}.png"), FullPage = true });

    /// <summary>axe-core's serious and critical findings on the page as it is now (WCAG 2.1 A and AA rules).</summary>
    public async Task<IReadOnlyList<string>> AccessibilityViolationsAsync()
    {
        var result = await Page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
        return result.Violations
            .Where(violation => violation.Impact is "serious" or "critical")
            .Select(violation => $"{violation.Id}: {violation.Help} ({string.Join(", ", violation.Nodes.Select(node => node.Html))})")
            .ToList();
    }

    /// <summary>Content-Security-Policy violations and script errors the page logged.</summary>
    public IReadOnlyList<string> ScriptErrors() =>
        _errors.Where(error => !error.StartsWith("Failed to load resource", StringComparison.Ordinal)).ToList();

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}

/// <summary>Writes why a console test did nothing when the machine has no chromium.</summary>
public static class ConsoleSkip
{
    public static bool NoBrowser(ConsoleFixture fixture, ITestOutputHelper output)
    {
        if (fixture.Browser is not null)
        {
            return false;
        }

        output.WriteLine("SKIPPED: chromium is not on this machine (./test.sh installs it when it can).");
        return true;
    }
}
