using Capture.Payment.Infrastructure;
using Capture.Payment.Infrastructure.WeChatPay;
using Capture.Payment.IntegrationEvents;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Capture.Payment.Extensions;

public static class PaymentServiceExtensions
{
    /// <summary>
    /// Everything the Payment service is made of: its database (with outbox and inbox), the bus and its consumers, the
    /// WeChat Pay API v3 provider (or the local simulator standing in for it), the pending-order poller, the refund worker and
    /// the closer of provider orders under superseded merchant order numbers.
    /// </summary>
    public static IHostApplicationBuilder AddPaymentServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PaymentDbContext>(PaymentDbContext.DatabaseName, PaymentDbContext.SchemaName);
        builder.AddServiceMessaging(bus =>
        {
            bus.AddConsumer<RegistrationApprovedConsumer>();
            bus.AddConsumer<RegistrationWithdrawnConsumer>();
            bus.AddConsumer<CampaignFeeChangedConsumer>();
            bus.AddConsumer<StudentDataCorrectedConsumer>();
            bus.AddConsumer<SessionClosedConsumer>();
            bus.AddConsumer<MakeupBookedConsumer>();
            bus.AddConsumer<PhotoAcceptedConsumer>();
        });

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Configure<PaymentOptions>(builder.Configuration.GetSection(PaymentOptions.SectionName));
        builder.Services.Configure<WeChatPayOptions>(builder.Configuration.GetSection(WeChatPayOptions.SectionName));
        var simulator = builder.Configuration[$"services:{WeChatPayOptions.SimulatorResource}:http:0"];
        var baseUrl = builder.Configuration[$"{WeChatPayOptions.SectionName}:{nameof(WeChatPayOptions.BaseUrl)}"] ?? simulator ?? WeChatPayOptions.ProductionBaseUrl;

        builder.Services.AddSingleton<WeChatPayCredentialStore>();
        builder.Services.AddHttpClient(WeChatPayCredentialStore.EnrolmentClient, http => http.BaseAddress = new Uri(simulator ?? baseUrl));
        // A student waits on this call: short attempts, and the idempotent out_trade_no makes retries safe.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<IPaymentProvider, WeChatPayProvider>(http => http.BaseAddress = new Uri(baseUrl))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options =>
            {
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(3);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
                options.Retry.MaxRetryAttempts = 2;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(20);
            });
#pragma warning restore EXTEXP0001

        builder.Services.AddSingleton<RefundSignal>();
        builder.Services.AddSingleton<PendingOrderPoller>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<PendingOrderPoller>());
        builder.Services.AddSingleton<RefundWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RefundWorker>());
        builder.Services.AddSingleton<SupersededOrderCloser>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SupersededOrderCloser>());
        builder.Services.AddSingleton<DailyBillImporter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DailyBillImporter>());
        return builder;
    }
}
