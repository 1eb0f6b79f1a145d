using Capture.Contracts.Payment;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;

namespace Capture.Scheduling.IntegrationEvents;

/// <summary>Records that a registration paid, so check-in admits it.</summary>
public sealed class PaymentSucceededConsumer(SchedulingDbContext db, ILogger<PaymentSucceededConsumer> logger)
    : IdempotentConsumer<PaymentSucceeded, SchedulingDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<PaymentSucceeded> context)
    {
        var m = context.Message;
        var row = await Db.Payments.FindAsync([m.PaymentId], context.CancellationToken);
        if (row is null)
        {
            row = new PaymentRecord { PaymentId = m.PaymentId, RegistrationId = m.RegistrationId, CampaignId = m.CampaignId };
            Db.Payments.Add(row);
        }

        row.PaidAt = m.PaidAt;
    }
}
