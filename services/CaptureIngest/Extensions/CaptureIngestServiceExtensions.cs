using Capture.CaptureIngest.Domain.Standardization;
using Capture.CaptureIngest.Infrastructure;
using Capture.CaptureIngest.IntegrationEvents;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Capture.CaptureIngest.Extensions;

public static class CaptureIngestServiceExtensions
{
    /// <summary>
    /// Everything the CaptureIngest service is made of: its database (with outbox and inbox), object storage, the bus
    /// with the binding consumers and (unless <c>CaptureIngest:Role</c> is <c>api</c>) the standardisation workers, the
    /// sweeper that holds and auto-accepts, and the live verdict notifier.
    /// </summary>
    public static IHostApplicationBuilder AddCaptureIngestServices(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("CaptureIngest").Get<CaptureOptions>() ?? new CaptureOptions();
        builder.Services.AddOptions<CaptureOptions>().BindConfiguration("CaptureIngest")
            .Validate(o => o.BackgroundColours.Values.All(IsColour), "CaptureIngest:BackgroundColours values must be colours like #64C5FF.")
            .Validate(o => o.Workers is >= 1 and <= 64, "CaptureIngest:Workers must be 1-64.")
            .ValidateOnStart();
        builder.Services.AddOptions<StandardizationOptions>().BindConfiguration(StandardizationOptions.SectionName);

        builder.AddServiceDatabase<CaptureIngestDbContext>(CaptureIngestDbContext.DatabaseName, CaptureIngestDbContext.SchemaName);
        builder.AddObjectStorage("photos-raw", "photos-standardized");
        builder.AddServiceMessaging(bus =>
        {
            bus.AddConsumer<StationOpenedConsumer>();
            bus.AddConsumer<StudentCheckedInConsumer>();
            bus.AddConsumer<RegistrationWithdrawnConsumer>();
            if (options.RunsWorkers)
            {
                bus.AddConsumer<PhotoUploadedConsumer>(typeof(PhotoUploadedConsumerDefinition));
            }
        });

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<CaptureMetrics>();
        builder.Services.AddSingleton(services => new PhotoStandardizer(services.GetRequiredService<IOptions<StandardizationOptions>>().Value));
        builder.Services.AddSingleton(services => CaptureCodeKey.CreateSigner(services.GetRequiredService<IConfiguration>(), services.GetRequiredService<IHostEnvironment>()));
        builder.Services.AddSingleton<KeyframeReader>();
        builder.Services.AddSingleton<VerdictNotifier>();
        builder.Services.AddSingleton<RawPhotoHandoff>();
        if (options.RunsWorkers)
        {
            // Only processes that standardise load the face detector (the upload API never does).
            builder.Services.AddHostedService<StandardizerWarmup>();
            builder.Services.AddHealthChecks().AddCheck<FaceDetectorHealthCheck>(FaceDetectorHealthCheck.Name, tags: [Microsoft.Extensions.Hosting.Extensions.ReadyTag]);
        }

        if (options.RunsApi)
        {
            builder.Services.AddHostedService(services => services.GetRequiredService<VerdictNotifier>());
            builder.Services.AddSingleton<PhotoSweeper>();
            builder.Services.AddHostedService(services => services.GetRequiredService<PhotoSweeper>());
        }

        return builder;
    }

    private static bool IsColour(string value) =>
        value.Trim().TrimStart('#') is { Length: 6 } hex && hex.All(char.IsAsciiHexDigit);
}
