using FurnitureOps.Api;
using FurnitureOps.Api.Auth;

if (args is ["dev-token", .. var tokenArgs])
{
    return DevTokens.RunCommand(tokenArgs);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddFurnitureOpsApi();

var app = builder.Build();
app.UseFurnitureOpsApi();
await app.RunAsync();
return 0;
