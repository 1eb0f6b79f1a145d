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
        builder.AddServiceMessaging(bus => bus.AddConsumer<PhotoAcceptedConsumer>());
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(CaptureCodeKey.CreateSigner(builder.Configuration, builder.Environment));
        builder.Services.AddScoped<RosterImporter>();

        // A body that is not valid JSON for the endpoint (a fee of 20.5 fen, a string where a list belongs) is the
        // caller's mistake: 400 ProblemDetails in every environment, not an exception that Development turns into 500.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
        return builder;
    }
}
