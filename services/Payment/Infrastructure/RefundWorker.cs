using Capture.Contracts.Payment;
using Capture.Payment.Domain;
using Capture.ServiceDefaults.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Capture.Payment.Infrastructure;

/// <summary>
/// Finds paid orders due a refund (withdrawn after payment; absent, no makeup booked by the refund date, never
/// photographed) and records one refund each; sends online refunds through the provider's refund API, asks about the
/// ones still processing, and completes them (<see cref="RefundOutcomes"/>) unless the provider's refund notify got
/// there first. A second payment under a superseded order number is refunded the same way, against that number. Cash refunds wait on the college's list until staff record that the money went back; campus-card
/// refunds go to finance in the card refund file.
/// </summary>
public sealed partial class RefundWorker(
    IServiceScopeFactory scopes, IOptions<PaymentOptions> options, RefundSignal signal, TimeProvider time, ILogger<RefundWorker> logger) : BackgroundService
{
    public const int MaxAttempts = 10;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Periodic.RunAsync("Refund run", RunOnceAsync, ct => signal.WaitAsync(Periodic.Clamp(options.Value.RefundInterval), ct), logger, stoppingToken);

    public async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentDbContext>();
        await RequestDueRefundsAsync(db, ct);
        var provider = scope.ServiceProvider.GetRequiredService<IPaymentProvider>();
        var pending = await db.Refunds.AsNoTracking()
            .Where(r => r.Status == RefundStatus.Requested && r.Method == PaymentMethods.Online)
            .OrderBy(r => r.LastCheckedAt ?? r.RequestedAt).Take(50).ToListAsync(ct);
        foreach (var refund in pending)
        {
            await SendAsync(db, provider, refund, ct);
        }
    }

    private async Task RequestDueRefundsAsync(PaymentDbContext db, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var absentBefore = now - options.Value.DefaultRefundAfter;
        var candidates = await (from o in db.Orders
                                join a in db.Attendances on o.RegistrationId equals a.RegistrationId into att
                                from a in att.DefaultIfEmpty()
                                join p in db.RefundPolicies on o.CampaignId equals p.CampaignId into pol
                                from p in pol.DefaultIfEmpty()
                                where o.Status == OrderStatus.Paid
                                      && !db.Refunds.Any(r => r.OrderId == o.Id && r.SupersededOutTradeNo == null)
                                      && (a == null || a.PhotographedAt == null)
                                      && (o.WithdrawnAt != null
                                          || (a != null && a.AbsentAt != null && a.MakeupBookedAt == null
                                              && (p != null ? p.RefundFrom <= now : a.AbsentAt <= absentBefore)))
                                select new { Order = o, Attendance = a, Policy = p })
            .AsNoTracking().Take(200).ToListAsync(ct);
        foreach (var c in candidates)
        {
            var refundFrom = c.Policy?.RefundFrom ?? c.Attendance?.AbsentAt + options.Value.DefaultRefundAfter;
            if (RefundRules.Due(c.Order, c.Attendance, refundFrom, now) is { } reason)
            {
                await RefundRequests.TryRequestAsync(db, c.Order, reason, now, ct);
            }
        }
    }

    private async Task SendAsync(PaymentDbContext db, IPaymentProvider provider, Refund refund, CancellationToken ct)
    {
        var order = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == refund.OrderId, ct);
        ProviderRefundResult result;
        try
        {
            // Once the provider has taken the refund, ask about it; send it (again, idempotently) only when it does not know it.
            result = (refund.ProviderRefundId is null ? null : await provider.QueryRefundAsync(refund.OutRefundNo, ct))
                ?? await provider.RefundAsync(
                    new ProviderRefundRequest(refund.OutTradeNoOf(order), refund.OutRefundNo, refund.AmountFen, refund.TotalFenOf(order), order.Currency, refund.Reason), ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            await NoteErrorAsync(db, refund, e.Message, ct);
            return;
        }

        var now = time.GetUtcNow();
        switch (result.Status)
        {
            case ProviderRefundResult.Success:
                await RefundOutcomes.CompleteAsync(db, refund.Id, result.RefundId, now, RefundSources.ProviderAnswer, fromFailed: false, logger, ct);
                break;
            case ProviderRefundResult.Processing:
                // Not an error: a refund to a bank card takes days. Its notify (or a later query) ends it.
                await db.Refunds.Where(r => r.Id == refund.Id && r.Status == RefundStatus.Requested).ExecuteUpdateAsync(
                    set => set.SetProperty(r => r.ProviderStatus, ProviderRefundResult.Processing)
                        .SetProperty(r => r.ProviderRefundId, r => result.RefundId ?? r.ProviderRefundId)
                        .SetProperty(r => r.LastError, "the provider is processing the refund")
                        .SetProperty(r => r.LastCheckedAt, now),
                    ct);
                break;
            default:
                await RefundOutcomes.FailAsync(db, refund.Id, result.Status, RefundRules.ProviderFailure(result.Status), RefundSources.ProviderAnswer, now, ct);
                break;
        }
    }

    private async Task NoteErrorAsync(PaymentDbContext db, Refund refund, string error, CancellationToken ct)
    {
        var message = error.Length > 500 ? error[..500] : error;
        await db.Refunds.Where(r => r.Id == refund.Id && r.Status == RefundStatus.Requested).ExecuteUpdateAsync(
            set => set.SetProperty(r => r.Attempts, r => r.Attempts + 1)
                .SetProperty(r => r.LastError, message)
                .SetProperty(r => r.LastCheckedAt, time.GetUtcNow())
                .SetProperty(r => r.CompletedVia, r => r.Attempts + 1 >= MaxAttempts ? RefundSources.Worker : null)
                .SetProperty(r => r.Status, r => r.Attempts + 1 >= MaxAttempts ? RefundStatus.Failed : RefundStatus.Requested),
            ct);
    }
}
