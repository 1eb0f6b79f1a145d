using Capture.Testing;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Scheduling.Tests;

/// <summary>
/// The Scheduling service in-process on its own database and virtual host of the real servers, a Registration
/// stand-in over real HTTP, and a real MassTransit bus on the same virtual host to publish the events other services would.
/// </summary>
public sealed class SchedulingApp : IAsyncLifetime
{
    public RegistrationStandIn Registration { get; } = new();

    public Factory Service { get; } = new();

    public IBusControl Bus { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Registration.StartAsync();
        Service.RegistrationAddress = Registration.Address;
        await Service.InitializeAsync();
        using (Service.CreateClient())
        {
            // starts the service: migrations applied, consumers bound
        }

        Bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(Service.Endpoints.MessagingIn(Service.VirtualHost))));
        await Bus.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Bus.StopAsync();
        await Service.DisposeAsync();
        await Registration.DisposeAsync();
    }

    public sealed class Factory() : ServiceFactory<Program>("schedulingdb")
    {
        public Uri? RegistrationAddress { get; set; }

        /// <summary>The service's clock: the real time unless a test pins it (tests of one class run one at a time).</summary>
        public PinnableClock Clock { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            var address = RegistrationAddress!.ToString().TrimEnd('/');
            builder.UseSetting("services:registration:http:0", address);
            builder.ConfigureAppConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?> { ["services:registration:http:0"] = address }));
            builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
        }
    }
}

/// <summary>A clock a test can stop at a chosen instant; otherwise the system's.</summary>
public sealed class PinnableClock : TimeProvider
{
    private DateTimeOffset? pinned;

    public IDisposable Pin(DateTimeOffset at)
    {
        pinned = at.ToUniversalTime();
        return new Unpin(this);
    }

    public override DateTimeOffset GetUtcNow() => pinned ?? System.GetUtcNow();

    private sealed class Unpin(PinnableClock clock) : IDisposable
    {
        public void Dispose() => clock.pinned = null;
    }
}
