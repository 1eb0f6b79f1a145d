using Capture.Registration.Infrastructure;
using Capture.Registration.IntegrationEvents;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Capture.Registration.Extensions;

public static class RegistrationServiceExtensions
{
    /// <summary>Everything the Registration service is made of: its database (with outbox and inbox), the bus, and its own services.</summary>
    public static IHostApplicationBuilder AddRegistrationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<RegistrationDbContext>(RegistrationDbContext.DatabaseName, RegistrationDbContext.SchemaName);
        builder.AddServiceMessaging(bus =>
        {
            bus.AddConsumer<PhotoAcceptedConsumer>();
            bus.AddConsumer<VerificationDisputedConsumer>();
            bus.AddConsumer<StationOpenedConsumer>();
        });
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(CaptureCodeKey.CreateSigner(builder.Configuration, builder.Environment));
        builder.Services.AddScoped<RosterImporter>();

        // Request types carry their limits as attributes (ServiceDefaults/Validation); .NET's minimal-API validation checks
        // them before a handler runs. Called here, not in ServiceDefaults: its source generator sees this project's endpoints.
        builder.Services.AddValidation();

        return builder;
    }
}
