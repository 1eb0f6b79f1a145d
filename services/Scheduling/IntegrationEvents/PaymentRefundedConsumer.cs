using Capture.Contracts.Payment;
using Capture.Scheduling.Domain;
using Capture.Scheduling.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;

namespace Capture.Scheduling.IntegrationEvents;

/// <summary>Records a refund: the registration counts as unpaid again (unless another payment of it stands).</summary>
public sealed class PaymentRefundedConsumer(SchedulingDbContext db, ILogger<PaymentRefundedConsumer> logger)
    : IdempotentConsumer<PaymentRefunded, SchedulingDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<PaymentRefunded> context)
    {
        var m = context.Message;
        var row = await Db.Payments.FindAsync([m.PaymentId], context.CancellationToken);
        if (row is null)
        {
            row = new PaymentRecord { PaymentId = m.PaymentId, RegistrationId = m.RegistrationId, CampaignId = m.CampaignId };
            Db.Payments.Add(row);
        }

        row.RefundedAt = m.RefundedAt;
    }
}
