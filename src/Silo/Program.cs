namespace FurnitureOps.Silo;

public static partial class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["migrate", .. var migrateArgs])
        {
            return await MigrateCommand.RunAsync(migrateArgs);
        }

        var builder = WebApplication.CreateBuilder(args);
        builder.AddFurnitureOpsSilo();

        var app = builder.Build();
        app.MapOperationsEndpoints();
        if (!await StartupDatabase.WaitAsync(app.Services, app.Lifetime.ApplicationStopping))
        {
            return StartupExitCodes.DatabaseUnreachable;
        }

        try
        {
            await app.RunAsync();
        }
        catch (Exception error) when (!app.Lifetime.ApplicationStarted.IsCancellationRequested)
        {
            // Orleans and the host have logged the cause; exit with a code, not an unhandled-exception abort (134).
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(Program));
            LogStartFailed(logger, error, StartupExitCodes.StartFailed);
            return StartupExitCodes.StartFailed;
        }

        return 0;
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The silo failed to start; exiting with code {ExitCode}")]
    private static partial void LogStartFailed(ILogger logger, Exception error, int exitCode);
}
