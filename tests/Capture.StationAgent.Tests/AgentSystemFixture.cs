using Capture.AppHost.Hosting;
using Capture.Testing;

namespace Capture.StationAgent.Tests;

/// <summary>The whole system (five services and the gateway as processes) started by the AppHost library on the test run's servers.</summary>
public sealed class AgentSystemFixture : IAsyncLifetime
{
    private readonly MemoryLogSink log = new();
    private RabbitMqAdmin? admin;
    private string? virtualHost;
    private string? directory;

    public CaptureSystem System { get; private set; } = null!;

    public string VirtualHost => virtualHost ?? throw new InvalidOperationException("The system is not started.");

    public HttpClient CreateClient(string? token = null)
    {
        var client = new HttpClient { BaseAddress = System.GatewayUri, Timeout = TimeSpan.FromSeconds(30) };
        return token is null ? client : client.WithToken(token);
    }

    public async Task InitializeAsync()
    {
        var endpoints = await TestInfrastructure.GetAsync();
        admin = new RabbitMqAdmin(endpoints.RabbitManagement!);
        virtualHost = await admin.CreateVirtualHostAsync("agent");
        System = await CaptureSystem.StartAsync(new CaptureSystemOptions
        {
            ExternalInfrastructure = endpoints,
            ForTests = true,
            DataDirectory = directory = TestInfrastructure.NewDataDirectory("agent"),
            DatabaseSuffix = "_" + Guid.NewGuid().ToString("N")[..12],
            VirtualHost = virtualHost,
            SigningKey = TestTokens.SigningKey,
            Log = log,
        });
    }

    public async Task DisposeAsync()
    {
        if (System is not null)
        {
            await System.StopAsync();
        }

        if (admin is not null && virtualHost is not null)
        {
            await admin.DeleteVirtualHostAsync(virtualHost);
            admin.Dispose();
        }

        if (directory is not null)
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

[CollectionDefinition(nameof(AgentSystem))]
public sealed class AgentSystem : ICollectionFixture<AgentSystemFixture>;
