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
/// A campaign's fee changed in Registration: every order of it approved before the change and not yet paid takes the new
/// fee (<see cref="OrderRules.ApplyFeeChange"/>), under a new merchant order number; the number given up is remembered
/// (in the same transaction) when a provider order may exist under it, for the closer to close. Paid orders keep what was paid.
/// </summary>
public sealed partial class CampaignFeeChangedConsumer(
    PaymentDbContext db, TimeProvider time, IOptions<WeChatPayOptions> wechat, ILogger<CampaignFeeChangedConsumer> logger)
    : IdempotentConsumer<CampaignFeeChanged, PaymentDbContext>(db, logger)
{
    protected override async Task HandleAsync(ConsumeContext<CampaignFeeChanged> context)
    {
        var m = context.Message;
        if (m.FeeFen is < 0 or > OrderRules.MaxFeeFen)
        {
            // Not retryable: the error queue keeps it for a person.
            throw new InvalidOperationException($"CampaignFeeChanged {m.CampaignId} carries fee {m.FeeFen} fen, outside 0..{OrderRules.MaxFeeFen}.");
        }

        var orders = await Db.Orders
            .Where(o => o.CampaignId == m.CampaignId && o.SchoolCode == m.SchoolCode && (o.Status == OrderStatus.Pending || o.Status == OrderStatus.Waived))
            .ToListAsync(context.CancellationToken);
        var renumbering = new Renumbering(time.GetUtcNow(), wechat.Value.OrderLifetime);
        var changed = 0;
        foreach (var order in orders)
        {
            if (!OrderRules.ApplyFeeChange(order, m.FeeFen, m.ChangedAt, renumbering, out var superseded))
            {
                continue;
            }

            changed++;
            if (superseded is not null)
            {
                await SupersededPayments.RememberAsync(Db, superseded, context.CancellationToken);
            }
        }

        LogRepriced(logger, m.CampaignId, m.FeeFen, changed);
    }

    [LoggerMessage(LogLevel.Information, "Campaign {CampaignId} fee is now {FeeFen} fen: {Changed} unpaid orders re-priced")]
    private static partial void LogRepriced(ILogger logger, Guid campaignId, long feeFen, int changed);
}
