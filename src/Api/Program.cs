using FurnitureOps.Api;
using FurnitureOps.Api.Auth;

if (args is ["dev-token", .. var tokenArgs])
{
    return DevTokens.RunCommand(tokenArgs);
}

if (args is ["sign", .. var signArgs])
{
    return HmacSignature.RunCommand(signArgs);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddFurnitureOpsApi();

var app = builder.Build();
app.UseFurnitureOpsApi();
await app.RunAsync();
return 0;
