using Capture.CaptureIngest.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;
using Capture.ServiceDefaults.Storage;

namespace Capture.CaptureIngest.Extensions;

public static class CaptureIngestServiceExtensions
{
    /// <summary>Everything the CaptureIngest service is made of: its database (with outbox and inbox), the bus, object storage, and its own services.</summary>
    public static IHostApplicationBuilder AddCaptureIngestServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<CaptureIngestDbContext>(CaptureIngestDbContext.DatabaseName, CaptureIngestDbContext.SchemaName);
        builder.AddServiceMessaging();
        builder.AddObjectStorage("photos-raw", "photos-standardized");
        return builder;
    }
}
