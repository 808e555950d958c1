using Microsoft.Playwright;

namespace FurnitureOps.Tests.Console;

/// <summary>
/// The whole service over real HTTP, as <see cref="Infrastructure.ApiFixture"/>, and a headless Chromium (the
/// system's, through Playwright) to drive the console with. Its silo stalls a failed loyalty accrual at once
/// (Loyalty:MaxAccrualAttempts 1), so a slip waits for the console's Recover instead of healing by itself.
/// Without chromium on the machine, <see cref="Browser"/> is null and the tests say they were skipped.
/// </summary>
public sealed class ConsoleFixture : Infrastructure.ApiFixture
{
    private IPlaywright? _playwright;

    public IBrowser? Browser { get; private set; }

    /// <summary>Screenshots of the views, kept as test artefacts: TestResults/console/ at the repository root.</summary>
    public string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), "TestResults", "console");

    protected override IReadOnlyDictionary<string, string?> SiloSettings { get; } = new Dictionary<string, string?>
    {
        ["Loyalty:MaxAccrualAttempts"] = "1",
    };

    /// <summary>
    /// A database of its own: this silo's sweepers would otherwise stall the API tests' failing accruals after one
    /// attempt, and resume their holds from a second cluster.
    /// </summary>
    protected override Task<TestConnections> ConnectAsync() => TestDatabase.CreateAsync(durable: false);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var chromium = Environment.GetEnvironmentVariable("FURNITUREOPS_CHROMIUM");
        if (string.IsNullOrEmpty(chromium))
        {
            return;
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        });
    }

    /// <summary>The API's address as the browser reaches it.</summary>
    public Uri ApiAddress => Api.CreateClient().BaseAddress!;

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FurnitureOps.sln")))
            {
                return directory.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleDefinition : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "console";
}
