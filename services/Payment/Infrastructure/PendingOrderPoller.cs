using Capture.Payment.Domain;
using Capture.ServiceDefaults.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Capture.Payment.Infrastructure;

/// <summary>
/// The fallback for a notify that never comes (WeChat Pay asks merchants to query): online orders still pending
/// <see cref="PaymentOptions.PollAfter"/> after their QR code was shown are queried, and paid when the provider says so
/// with the order's amount and currency (through <see cref="ProviderPayments"/>, so a number given up meanwhile is taken
/// at the amount it asked). Numbers given up are asked about by the <see cref="SupersededOrderCloser"/>.
/// </summary>
public sealed partial class PendingOrderPoller(
    IServiceScopeFactory scopes, IOptions<PaymentOptions> options, IOptions<WeChatPay.WeChatPayOptions> wechat, RefundSignal refunds, TimeProvider time,
    ILogger<PendingOrderPoller> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync("Polling pending online orders", PollOnceAsync, Periodic.Every(() => options.Value.PollInterval, time), logger, stoppingToken);

    public async Task<int> PollOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentDbContext>();
        var provider = scope.ServiceProvider.GetRequiredService<IPaymentProvider>();
        var before = time.GetUtcNow() - options.Value.PollAfter;
        // A QR code long expired will not be paid any more: stop asking after a day.
        var giveUp = time.GetUtcNow() - TimeSpan.FromDays(1);
        var due = await db.Orders
            .Where(o => o.Status == OrderStatus.Pending && o.OnlineStartedAt != null && o.OnlineStartedAt < before && o.OnlineStartedAt > giveUp
                        && (o.LastPolledAt == null || o.LastPolledAt < before))
            .OrderBy(o => o.OnlineStartedAt)
            .Take(50)
            .ToListAsync(ct);
        // Nonces only need remembering while their timestamps would still be accepted (5 minutes); keep an hour.
        var forgetBefore = time.GetUtcNow() - TimeSpan.FromHours(1);
        await db.NotifyNonces.Where(n => n.ReceivedAt < forgetBefore).ExecuteDeleteAsync(ct);
        var paid = 0;
        foreach (var order in due)
        {
            await db.Orders.Where(o => o.Id == order.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.LastPolledAt, time.GetUtcNow()), ct);
            var t = await provider.QueryAsync(order.OutTradeNo, ct);
            if (t is not { State: ProviderTransaction.Success })
            {
                continue;
            }

            var taken = await ProviderPayments.TakeAsync(db, t, new Renumbering(time.GetUtcNow(), wechat.Value.OrderLifetime), logger, ct);
            if (taken.Outcome == PaymentTaken.Paid)
            {
                paid++;
            }
            else if (taken.Outcome == PaymentTaken.SecondPayment)
            {
                refunds.Wake();
            }
        }

        return paid;
    }
}
