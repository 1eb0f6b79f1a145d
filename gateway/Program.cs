using Capture.Gateway.Apis;
using Capture.Gateway.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGatewayServices();
if (builder.Environment.IsDevelopment())
{
    builder.Services.AddDevelopmentDeviceFlow();
}

var app = builder.Build();
// Behind the Ingress: the browser's scheme (https) reaches the pages through YARP's X-Forwarded-Proto, so the web app
// builds https redirect URIs and Secure cookies. The Ingress is the gateway's only caller (network policy).
var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto };
forwarded.KnownIPNetworks.Clear();
forwarded.KnownProxies.Clear();
app.UseForwardedHeaders(forwarded);
app.UseServiceDefaults();
app.MapDefaultEndpoints();
if (app.Environment.IsDevelopment())
{
    app.MapDevelopmentTokenApi();
    app.MapDevelopmentDeviceFlowApi();
}

app.UseRequestBodyLimits();
app.MapReverseProxy();
app.Run();
