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
/// One payment order per approved registration: pending for a fee, waived for fee 0; a later approval with another fee
/// re-prices an unpaid order (the number given up is remembered, in the same transaction, when a provider order may exist under it).
/// </summary>
public sealed partial class RegistrationApprovedConsumer(
    PaymentDbContext db, TimeProvider time, IOptions<WeChatPayOptions> wechat, ILogger<RegistrationApprovedConsumer> logger)
    : IdempotentConsumer<RegistrationApproved, PaymentDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<RegistrationApproved> context)
    {
        var m = context.Message;
        if (m.FeeFen is < 0 or > OrderRules.MaxFeeFen)
        {
            // Not retryable: the error queue keeps it for a person.
            throw new InvalidOperationException($"RegistrationApproved {m.RegistrationId} carries fee {m.FeeFen} fen, outside 0..{OrderRules.MaxFeeFen}.");
        }

        var order = await Db.Orders.FirstOrDefaultAsync(o => o.RegistrationId == m.RegistrationId, context.CancellationToken);
        if (order is null)
        {
            order = new PaymentOrder
            {
                Id = Guid.NewGuid(),
                RegistrationId = m.RegistrationId,
                AmountFen = m.FeeFen,
                Status = OrderRules.Initial(m.FeeFen),
                OutTradeNo = PaymentOrder.NewOutTradeNo(),
                ApprovedAt = m.ApprovedAt,
                CreatedAt = time.GetUtcNow(),
            };
            Db.Orders.Add(order);
            LogCreated(logger, order.Id, m.RegistrationId, m.FeeFen, order.Status);
        }
        else if (!OrderRules.ApplyApproval(order, m.FeeFen, m.ApprovedAt, new Renumbering(time.GetUtcNow(), wechat.Value.OrderLifetime), out var superseded))
        {
            return;
        }
        else if (superseded is not null)
        {
            await SupersededPayments.RememberAsync(Db, superseded, context.CancellationToken);
        }

        order.CampaignId = m.CampaignId;
        order.SchoolCode = m.SchoolCode;
        order.CollegeCode = m.CollegeCode;
        order.CollegeName = m.CollegeName;
        order.ClassName = m.ClassName;
        order.StudentNumber = m.StudentNumber;
        order.StudentName = m.StudentName;
    }

    [LoggerMessage(LogLevel.Information, "Payment order {OrderId} for registration {RegistrationId}: {FeeFen} fen, {Status}")]
    private static partial void LogCreated(ILogger logger, Guid orderId, Guid registrationId, long feeFen, OrderStatus status);
}
