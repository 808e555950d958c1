using System.Reflection;
using DbUp;
using DbUp.Engine.Output;

namespace FurnitureOps.Silo;

/// <summary>
/// <c>FurnitureOps.Silo migrate</c>: applies the numbered scripts under <c>Migrations/</c> that have not run
/// yet, records each in <c>schema_versions</c>, and exits. Runs as its own step (scripts, Helm job), never
/// as a side effect of serving traffic.
/// </summary>
public static class MigrateCommand
{
    /// <summary>The connection used for migrations: <c>ConnectionStrings:Migrations</c>, else <c>ConnectionStrings:Postgres</c>.</summary>
    public static string? ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("Migrations") ?? configuration.GetConnectionString("Postgres");

    public static Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();

        var connectionString = ConnectionString(configuration);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Console.Error.WriteLine("migrate: set ConnectionStrings__Migrations or ConnectionStrings__Postgres.");
            return Task.FromResult(2);
        }

        var result = Apply(connectionString, new ConsoleUpgradeLog());
        if (!result.Successful)
        {
            Console.Error.WriteLine($"migrate: failed on {result.ErrorScript?.Name}: {result.Error?.Message}");
            return Task.FromResult(1);
        }

        Console.WriteLine($"migrate: {result.Scripts.Count()} script(s) applied; schema is current.");
        return Task.FromResult(0);
    }

    /// <summary>The migration scripts this build carries, by the name the journal records.</summary>
    public static IReadOnlyList<string> Scripts() =>
        Assembly.GetExecutingAssembly().GetManifestResourceNames().Where(IsMigration).Order(StringComparer.Ordinal).ToList();

    private static bool IsMigration(string resourceName) => resourceName.Contains(".Migrations.", StringComparison.Ordinal);

    private static bool IsThrough(string resourceName, string? through) =>
        through is null || string.CompareOrdinal(resourceName[(resourceName.IndexOf(".Migrations.", StringComparison.Ordinal) + 12)..], through + "~") < 0;

    /// <summary>Applies pending migrations; each script and its journal row commit together or not at all.</summary>
    /// <param name="connectionString">The schema owner's connection.</param>
    /// <param name="log">Where DbUp reports.</param>
    /// <param name="through">Stop after the script whose number this is (e.g. "0009"): upgrade tests start from an older schema.</param>
    public static DbUp.Engine.DatabaseUpgradeResult Apply(string connectionString, IUpgradeLog log, string? through = null) =>
        DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScriptsEmbeddedInAssembly(Assembly.GetExecutingAssembly(), name => IsMigration(name) && IsThrough(name, through))
            .JournalToPostgresqlTable("public", "schema_versions")
            .WithTransactionPerScript()
            .WithVariablesDisabled() // scripts use $sql$ dollar quotes, which DbUp would read as variables
            .LogTo(log)
            .Build()
            .PerformUpgrade();
}
