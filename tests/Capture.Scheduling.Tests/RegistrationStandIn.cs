using System.Collections.Concurrent;
using Capture.Contracts.Registration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Capture.Scheduling.Tests;

/// <summary>
/// A stand-in for the Registration service's capture-code endpoint (the real one is built in parallel and meets
/// this service at integration): a real HTTP server on 127.0.0.1 that knows the codes a test registers, answers 410
/// for revoked ones and 404 for unknown ones, and can be switched "down" (503) to test the fallback.
/// </summary>
public sealed class RegistrationStandIn : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, CaptureCodeVerification> codes = new();
    private readonly ConcurrentDictionary<string, bool> revoked = new();
    private WebApplication? app;
    private int calls;

    public Uri Address { get; private set; } = null!;

    public bool Down { get; set; }

    public int Calls => calls;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.MapPost("/api/registration/capture-codes/verify", (VerifyCaptureCodeRequest request) =>
        {
            Interlocked.Increment(ref calls);
            if (Down)
            {
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }

            if (revoked.ContainsKey(request.Code))
            {
                return Results.Problem(statusCode: StatusCodes.Status410Gone, detail: "revoked");
            }

            return codes.TryGetValue(request.Code, out var verification) ? Results.Ok(verification) : Results.NotFound();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(address);
    }

    public void Add(string code, CaptureCodeVerification verification) => codes[code] = verification;

    public void Revoke(string code) => revoked[code] = true;

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
