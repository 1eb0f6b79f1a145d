using Capture.PaymentProviderSimulator;
using Capture.Testing;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Capture.Payment.Tests;

/// <summary>
/// The Payment service on real Kestrel (so the simulator's notifies reach it over HTTP) on its own database and
/// virtual host, the WeChat Pay simulator on another loopback port, and a real bus to publish other services' events.
/// A subclass may change the service's settings (e.g. to run a background worker only when a test says).
/// </summary>
public class PaymentApp : IAsyncLifetime
{
    public PaymentApp()
        : this(new Dictionary<string, string?>())
    {
    }

    protected PaymentApp(IReadOnlyDictionary<string, string?> settings) => Service = new Factory(settings);

    public WebApplication Simulator { get; private set; } = null!;

    public Uri SimulatorAddress { get; private set; } = null!;

    public Factory Service { get; }

    public IBusControl Bus { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Simulator = SimulatorApp.Create([], b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Configuration["Simulator:NotifyRetrySchedule:0"] = "00:00:00.200";
            b.Configuration["Simulator:NotifyRetrySchedule:1"] = "00:00:00.500";
            b.Configuration["Simulator:NotifyRetrySchedule:2"] = "00:00:01";
            b.Configuration["Logging:LogLevel:Default"] = "Warning";
        });
        await Simulator.StartAsync();
        SimulatorAddress = new Uri(Simulator.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        Service.SimulatorAddress = SimulatorAddress;
        await Service.InitializeAsync();
        Service.UseKestrel(Service.Port);
        Service.StartServer();

        Bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit => rabbit.Host(new Uri(Service.Endpoints.MessagingIn(Service.VirtualHost))));
        await Bus.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Bus.StopAsync();
        await Service.DisposeAsync();
        await Simulator.StopAsync();
        await Simulator.DisposeAsync();
    }

    public sealed class Factory(IReadOnlyDictionary<string, string?> overrides) : ServiceFactory<Program>("paymentdb")
    {
        public int Port { get; } = Capture.AppHost.Hosting.Network.FreePort();

        public Uri? SimulatorAddress { get; set; }

        public Uri Address => new($"http://127.0.0.1:{Port}");

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            var settings = new Dictionary<string, string?>
            {
                ["services:payment-provider:http:0"] = SimulatorAddress!.ToString().TrimEnd('/'),
                ["WeChatPay:NotifyUrl"] = $"{Address}api/payment/notify/wechatpay",
                ["Payment:PollAfter"] = "00:00:02",
                ["Payment:PollInterval"] = "00:00:00.500",
                ["Payment:RefundInterval"] = "00:00:00.500",
                ["Payment:SupersededInterval"] = "00:00:00.500",
            };
            foreach (var (key, value) in overrides)
            {
                settings[key] = value;
            }

            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
        }
    }
}
