using Capture.Scheduling.Infrastructure;
using Capture.Scheduling.IntegrationEvents;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Capture.Scheduling.Extensions;

public static class SchedulingServiceExtensions
{
    /// <summary>Everything the Scheduling service is made of: its database (with outbox and inbox), the bus and its consumers, and the Registration client.</summary>
    public static IHostApplicationBuilder AddSchedulingServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<SchedulingDbContext>(SchedulingDbContext.DatabaseName, SchedulingDbContext.SchemaName);
        builder.AddServiceMessaging(bus =>
        {
            bus.AddConsumer<CampaignCreatedConsumer>();
            bus.AddConsumer<RegistrationApprovedConsumer>();
            bus.AddConsumer<RegistrationWithdrawnConsumer>();
            bus.AddConsumer<CaptureCodeRevokedConsumer>();
            bus.AddConsumer<CampaignFeeChangedConsumer>();
            bus.AddConsumer<StudentDataCorrectedConsumer>();
            bus.AddConsumer<PaymentSucceededConsumer>();
            bus.AddConsumer<PaymentRefundedConsumer>();
            bus.AddConsumer<PhotoAcceptedConsumer>();
            bus.AddConsumer<VerificationDisputedConsumer>();
        });

        builder.Services.AddMemoryCache();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddScoped<CaptureCodeVerifier>();

        // Request types carry their limits as attributes (ServiceDefaults/Validation); .NET's minimal-API validation checks
        // them before a handler runs. Called here, not in ServiceDefaults: its source generator sees this project's endpoints.
        builder.Services.AddValidation();

        // A queue at a station must not wait on a slow Registration: short timeouts, one retry, then the verifier's fallback.
        // RemoveAllResilienceHandlers drops the default handler ServiceDefaults adds to every client (marked experimental, stable in use).
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<RegistrationClient>(http => http.BaseAddress = new Uri(RegistrationClient.BaseAddress))
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options =>
            {
                options.AttemptTimeout.Timeout = TimeSpan.FromMilliseconds(1500);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(3);
                options.Retry.MaxRetryAttempts = 1;
                options.Retry.Delay = TimeSpan.FromMilliseconds(100);
                options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
            });
#pragma warning restore EXTEXP0001
        return builder;
    }
}
