using Capture.AppHost.Hosting;
using Capture.Testing;

namespace Capture.ServiceDefaults.Tests.Plumbing;

/// <summary>A fresh database name and RabbitMQ virtual host for one test, on the shared servers.</summary>
public sealed class Isolated : IAsyncDisposable
{
    private RabbitMqAdmin? admin;

    public required InfrastructureEndpoints Endpoints { get; init; }

    public required string Database { get; init; }

    public required string VirtualHost { get; init; }

    public string DatabaseConnection => Endpoints.Database(Database);

    public string Messaging => Endpoints.MessagingIn(VirtualHost);

    public static async Task<Isolated> CreateAsync()
    {
        var endpoints = await TestInfrastructure.GetAsync();
        var admin = new RabbitMqAdmin(endpoints.RabbitManagement!);
        var vhost = await admin.CreateVirtualHostAsync("plumbing");
        return new Isolated { Endpoints = endpoints, Database = $"ledgerdb_{Guid.NewGuid():N}", VirtualHost = vhost, admin = admin };
    }

    public async ValueTask DisposeAsync()
    {
        if (admin is not null)
        {
            await admin.DeleteVirtualHostAsync(VirtualHost);
            admin.Dispose();
        }
    }
}
