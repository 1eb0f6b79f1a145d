using Capture.Contracts.Registration;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure;
using Capture.Payment.Infrastructure.WeChatPay;
using Capture.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Capture.Payment.IntegrationEvents;

/// <summary>
/// A withdrawal cancels an unpaid order; a paid one is marked for a refund (the refund worker sends it). The order's row
/// is locked, so a payment arriving at the same instant either wins (then it is refunded) or finds the order cancelled.
/// A cancelled order gives up its merchant order number when a code was shown (<see cref="OrderRules.GiveUpNumber"/>):
/// the closer closes it at the provider, and a payment under it after all is refunded as a second payment.
/// </summary>
public sealed class RegistrationWithdrawnConsumer(
    PaymentDbContext db, TimeProvider time, IOptions<WeChatPayOptions> wechat, ILogger<RegistrationWithdrawnConsumer> logger)
    : IdempotentConsumer<RegistrationWithdrawn, PaymentDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<RegistrationWithdrawn> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var orders = await Db.Orders
            .FromSqlInterpolated($"SELECT *, xmin FROM payment.orders WHERE registration_id = {m.RegistrationId} FOR UPDATE")
            .ToListAsync(ct);
        var renumbering = new Renumbering(time.GetUtcNow(), wechat.Value.OrderLifetime);
        var cancelled = 0;
        foreach (var order in orders.Where(o => o.Status is OrderStatus.Pending or OrderStatus.Waived && o.ApprovedAt <= m.WithdrawnAt))
        {
            order.Status = OrderStatus.Cancelled;
            order.CancelledAt = m.WithdrawnAt;
            if (OrderRules.GiveUpNumber(order, renumbering) is { } superseded)
            {
                await SupersededPayments.RememberAsync(Db, superseded, ct);
            }

            cancelled++;
        }

        if (cancelled == 0)
        {
            foreach (var order in orders.Where(o => o.Status == OrderStatus.Paid && o.WithdrawnAt == null))
            {
                order.WithdrawnAt = m.WithdrawnAt;
            }
        }
    }
}
