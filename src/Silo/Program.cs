namespace FurnitureOps.Silo;

public static class Program
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
        await app.RunAsync();
        return 0;
    }
}
