using Capture.Contracts.Registration;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.IntegrationEvents;

/// <summary>
/// A withdrawal cancels an unpaid order; a paid one is marked for a refund (the refund worker sends it). Both are
/// conditional updates, so a payment arriving at the same instant either wins (then it is refunded) or is refused.
/// </summary>
public sealed class RegistrationWithdrawnConsumer(PaymentDbContext db, ILogger<RegistrationWithdrawnConsumer> logger)
    : IdempotentConsumer<RegistrationWithdrawn, PaymentDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<RegistrationWithdrawn> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var cancelled = await Db.Orders
            .Where(o => o.RegistrationId == m.RegistrationId && (o.Status == OrderStatus.Pending || o.Status == OrderStatus.Waived) && o.ApprovedAt <= m.WithdrawnAt)
            .ExecuteUpdateAsync(set => set.SetProperty(o => o.Status, OrderStatus.Cancelled).SetProperty(o => o.CancelledAt, m.WithdrawnAt), ct);
        if (cancelled == 0)
        {
            await Db.Orders
                .Where(o => o.RegistrationId == m.RegistrationId && o.Status == OrderStatus.Paid && o.WithdrawnAt == null)
                .ExecuteUpdateAsync(set => set.SetProperty(o => o.WithdrawnAt, m.WithdrawnAt), ct);
        }
    }
}
