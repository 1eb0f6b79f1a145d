using System.Net;
using Capture.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using HostingExtensions = Microsoft.Extensions.Hosting.Extensions;

namespace Capture.ServiceDefaults.Tests.Health;

/// <summary>
/// Readiness is "can serve requests" (own database and object store), the broker is a check of its own, liveness is
/// the process alone, and /health still lists everything for the gateway's aggregated health.
/// </summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task A_broker_outage_fails_health_and_broker_but_not_readiness_or_liveness()
    {
        await using var app = await StartAsync(database: HealthStatus.Healthy, broker: HealthStatus.Unhealthy);
        using var client = new HttpClient { BaseAddress = app.Address };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/broker")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task A_database_outage_fails_readiness_and_health_but_not_liveness()
    {
        await using var app = await StartAsync(database: HealthStatus.Unhealthy, broker: HealthStatus.Healthy);
        using var client = new HttpClient { BaseAddress = app.Address };

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/broker")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task Everything_healthy_is_healthy_everywhere_and_health_lists_every_check()
    {
        await using var app = await StartAsync(database: HealthStatus.Healthy, broker: HealthStatus.Healthy);
        using var client = new HttpClient { BaseAddress = app.Address };

        foreach (var path in new[] { "/health", "/health/ready", "/health/broker", "/alive" })
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(path)).StatusCode);
        }

        var all = await client.GetStringAsync("/health");
        Assert.Contains("testdb", all, StringComparison.Ordinal);
        Assert.Contains("bus", all, StringComparison.Ordinal);
        Assert.DoesNotContain("bus", await client.GetStringAsync("/health/ready"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_MassTransit_bus_check_is_tagged_broker_and_not_ready()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:messaging"] = "amqp://guest:guest@127.0.0.1:1/" });
        builder.AddServiceMessaging(endpointPrefix: "health");
        using var host = builder.Build();

        var registrations = host.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        var bus = Assert.Single(registrations, r => r.Name.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(HostingExtensions.BrokerTag, bus.Tags);
        Assert.DoesNotContain(HostingExtensions.ReadyTag, bus.Tags);
    }

    private static async Task<RunningApp> StartAsync(HealthStatus database, HealthStatus broker)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration["Auth:SigningKey"] = new string('k', 48);
        builder.AddServiceDefaults();
        builder.Services.AddHealthChecks()
            .AddCheck("testdb", () => new HealthCheckResult(database), [HostingExtensions.ReadyTag])
            .AddCheck("bus", () => new HealthCheckResult(broker), [HostingExtensions.BrokerTag]);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new RunningApp(app, new Uri(address));
    }

    private sealed record RunningApp(WebApplication App, Uri Address) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }
}
