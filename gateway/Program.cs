using Capture.Gateway.Apis;
using Capture.Gateway.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGatewayServices();

var app = builder.Build();
app.UseServiceDefaults();
app.MapDefaultEndpoints();
if (app.Environment.IsDevelopment())
{
    app.MapDevelopmentTokenApi();
}

app.UseRequestBodyLimits();
app.MapReverseProxy();
app.Run();
