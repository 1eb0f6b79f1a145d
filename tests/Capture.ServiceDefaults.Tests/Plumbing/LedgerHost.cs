using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Capture.ServiceDefaults.Tests.Plumbing;

/// <summary>
/// A worker host wired exactly as a service is (AddServiceDatabase + AddServiceMessaging) around the ledger
/// database: migrations at start, outbox relay, inbox consumers, MassTransit over the real RabbitMQ.
/// </summary>
public sealed class LedgerHost : IAsyncDisposable
{
    private readonly IHost host;

    private LedgerHost(IHost host) => this.host = host;

    public IServiceProvider Services => host.Services;

    public static async Task<LedgerHost> StartAsync(
        string databaseConnection,
        string messaging,
        DeliveryLog log,
        DepositFaults? faults = null,
        IDictionary<string, string?>? settings = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:ledgerdb"] = databaseConnection,
            ["ConnectionStrings:messaging"] = messaging,
            ["Outbox:PollInterval"] = "00:00:00.500",
            ["Outbox:PublishTimeout"] = "00:00:03",
            ["Outbox:MaxBackoff"] = "00:00:02",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.AddSingleton(log);
        builder.Services.AddSingleton(faults ?? new DepositFaults());
        builder.AddServiceDatabase<LedgerDbContext>("ledgerdb", LedgerDbContext.SchemaName);
        builder.AddServiceMessaging(bus =>
        {
            bus.AddConsumer<LedgerOpenedRecorder>();
            bus.AddConsumer<DepositConsumer>();
        }, endpointPrefix: "ledger");

        var host = builder.Build();
        await host.StartAsync();
        return new LedgerHost(host);
    }

    public async Task<T> InDbAsync<T>(Func<LedgerDbContext, Task<T>> work)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<LedgerDbContext>());
    }

    public Task InDbAsync(Func<LedgerDbContext, Task> work) => InDbAsync(async db =>
    {
        await work(db);
        return true;
    });

    public Task<List<OutboxMessage>> OutboxAsync() => InDbAsync(db => db.OutboxMessages.AsNoTracking().OrderBy(m => m.Sequence).ToListAsync());

    public IBus Bus => host.Services.GetRequiredService<IBus>();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }
}
