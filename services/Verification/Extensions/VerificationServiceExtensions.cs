using Capture.ServiceDefaults.Http;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;
using Capture.ServiceDefaults.Storage;
using Capture.Verification.Apis;
using Capture.Verification.Infrastructure;
using Capture.Verification.IntegrationEvents;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Capture.Verification.Extensions;

public static class VerificationServiceExtensions
{
    /// <summary>
    /// Everything the Verification service is made of: its database (with outbox and inbox), the bus with the consumers
    /// that open tasks and keep their data current, object storage (standardised photos to read, exports to write), the
    /// clock (reminders, expiry) and the export worker.
    /// </summary>
    public static IHostApplicationBuilder AddVerificationServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<VerificationOptions>().BindConfiguration("Verification");
        builder.AddServiceDatabase<VerificationDbContext>(VerificationDbContext.DatabaseName, VerificationDbContext.SchemaName);
        builder.AddServiceMessaging(bus =>
        {
            bus.AddConsumer<PhotoAcceptedConsumer>();
            bus.AddConsumer<RegistrationApprovedConsumer>();
            bus.AddConsumer<StudentDataCorrectedConsumer>();
            bus.AddConsumer<StudentDataCorrectionRejectedConsumer>();
            bus.AddConsumer<RegistrationWithdrawnConsumer>();
        });
        builder.AddObjectStorage(PhotoLinks.Bucket, ExportBuilder.Bucket);

        // Every Verification body is small JSON: ServiceDefaults refuses more than this (413) before it is read.
        builder.Services.Configure<RequestBodyLimitOptions>(options => options.JsonBytes = Domain.Limits.MaxBodyBytes);

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<VerificationClock>();
        builder.Services.AddHostedService(services => services.GetRequiredService<VerificationClock>());
        builder.Services.AddSingleton<ExportBuilder>();
        builder.Services.AddSingleton<ExportWorker>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ExportWorker>());
        return builder;
    }
}
