using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using Capture.ServiceDefaults.Persistence;

namespace Capture.Payment.Extensions;

public static class PaymentServiceExtensions
{
    /// <summary>Everything the Payment service is made of: its database (with outbox and inbox), the bus, and its own services.</summary>
    public static IHostApplicationBuilder AddPaymentServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PaymentDbContext>(PaymentDbContext.DatabaseName, PaymentDbContext.SchemaName);
        builder.AddServiceMessaging();
        return builder;
    }
}
