using Capture.AppHost.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Capture.Testing;

/// <summary>
/// Runs one service in-process (TestServer) against the real servers, on a database and a RabbitMQ virtual host
/// of its own, so tests never see each other's data or messages. Configuration uses exactly the keys the AppHost sets.
/// </summary>
public class ServiceFactory<TProgram>(string databaseKey, bool usesObjectStorage = false) : WebApplicationFactory<TProgram>
    where TProgram : class
{
    private InfrastructureEndpoints? endpoints;
    private RabbitMqAdmin? admin;

    public string VirtualHost { get; private set; } = "/";

    public string DatabaseName { get; } = $"{databaseKey}_{Guid.NewGuid():N}";

    public string EnvironmentName { get; init; } = Environments.Development;

    public InfrastructureEndpoints Endpoints => endpoints ?? throw new InvalidOperationException("Call InitializeAsync first.");

    public async Task InitializeAsync()
    {
        endpoints = await TestInfrastructure.GetAsync();
        if (endpoints.RabbitManagement is not null)
        {
            admin = new RabbitMqAdmin(endpoints.RabbitManagement);
            VirtualHost = await admin.CreateVirtualHostAsync();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var e = Endpoints;
        builder.UseEnvironment(EnvironmentName);
        var settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{databaseKey}"] = e.Database(DatabaseName),
            ["ConnectionStrings:messaging"] = e.MessagingIn(VirtualHost),
            ["Auth:SigningKey"] = TestTokens.SigningKey,
        };
        if (e.RabbitManagement is { } management)
        {
            settings["Messaging:ManagementUri"] = new UriBuilder(management) { UserName = "guest", Password = "guest" }.Uri.ToString();
        }

        if (usesObjectStorage)
        {
            settings["ConnectionStrings:photos"] = e.Photos;
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(settings));
    }

    public HttpClient CreateClient(string token) => CreateClient().WithToken(token);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (admin is not null)
        {
            await admin.DeleteVirtualHostAsync(VirtualHost);
            admin.Dispose();
        }

        GC.SuppressFinalize(this);
    }
}
