using Capture.Verification.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;
using Capture.ServiceDefaults.Storage;

namespace Capture.Verification.Extensions;

public static class VerificationServiceExtensions
{
    /// <summary>Everything the Verification service is made of: its database (with outbox and inbox), the bus, object storage, and its own services.</summary>
    public static IHostApplicationBuilder AddVerificationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<VerificationDbContext>(VerificationDbContext.DatabaseName, VerificationDbContext.SchemaName);
        builder.AddServiceMessaging();
        builder.AddObjectStorage("exports");
        return builder;
    }
}
