using Capture.AppHost.Hosting;
using Capture.Testing;

namespace Capture.EndToEnd.Tests;

/// <summary>
/// The whole system (five services and the gateway as separate processes) started by the AppHost library, as
/// Aspire.Hosting.Testing would start an AppHost: on the test run's servers, with databases and a virtual host of
/// its own, services on free ports, and the test run's signing key.
/// </summary>
public sealed class SystemFixture : IAsyncLifetime
{
    private readonly MemoryLogSink log = new();
    private RabbitMqAdmin? admin;
    private string? virtualHost;
    private string? directory;

    /// <summary>How long the web pages' access tokens live in the test system (they are renewed before they end).</summary>
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(10);

    public CaptureSystem System { get; private set; } = null!;

    /// <summary>The RabbitMQ virtual host the system's services use, for tests that listen to its events.</summary>
    public string VirtualHost => virtualHost ?? throw new InvalidOperationException("The system is not started.");

    public IReadOnlyList<string> Log => log.Lines;

    public HttpClient CreateClient(string? token = null)
    {
        var client = new HttpClient { BaseAddress = System.GatewayUri, Timeout = TimeSpan.FromSeconds(30) };
        return token is null ? client : client.WithToken(token);
    }

    public async Task InitializeAsync()
    {
        var endpoints = await TestInfrastructure.GetAsync();
        admin = new RabbitMqAdmin(endpoints.RabbitManagement!);
        virtualHost = await admin.CreateVirtualHostAsync("e2e");
        System = await CaptureSystem.StartAsync(new CaptureSystemOptions
        {
            ExternalInfrastructure = endpoints,
            ForTests = true,
            DataDirectory = directory = TestInfrastructure.NewDataDirectory("e2e"),
            DatabaseSuffix = "_" + Guid.NewGuid().ToString("N")[..12],
            VirtualHost = virtualHost,
            SigningKey = TestTokens.SigningKey,
            Log = log,
            // Payment's background work on test time: refunds looked for every second, silent orders queried after 3 s.
            ExtraEnvironment = new Dictionary<string, string?>
            {
                ["Payment__RefundInterval"] = "00:00:01",
                ["Payment__PollAfter"] = "00:00:03",
                ["Payment__PollInterval"] = "00:00:01",
                // The pages' development sign-ins get short access tokens, renewed with their refresh tokens as they end.
                ["Web__DevelopmentAccessTokenLifetime"] = AccessTokenLifetime.ToString("c", global::System.Globalization.CultureInfo.InvariantCulture),
            },
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

[CollectionDefinition(nameof(WholeSystem))]
public sealed class WholeSystem : ICollectionFixture<SystemFixture>;
