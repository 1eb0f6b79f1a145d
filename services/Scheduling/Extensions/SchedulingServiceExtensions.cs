using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;

namespace Capture.Scheduling.Extensions;

public static class SchedulingServiceExtensions
{
    /// <summary>Everything the Scheduling service is made of: its database (with outbox and inbox), the bus, and its own services.</summary>
    public static IHostApplicationBuilder AddSchedulingServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<SchedulingDbContext>(SchedulingDbContext.DatabaseName, SchedulingDbContext.SchemaName);
        builder.AddServiceMessaging();
        return builder;
    }
}
