using Capture.Contracts.Payment;
using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Capture.Payment.Infrastructure;

/// <summary>
/// Finds paid orders due a refund (withdrawn after payment; absent, no makeup booked by the refund date, never
/// photographed) and records one refund each; sends online refunds through the provider's refund API and completes
/// them (order refunded, <see cref="PaymentRefunded"/> in the same transaction). Cash and campus-card refunds wait on
/// the list until staff record that the money went back.
/// </summary>
public sealed partial class RefundWorker(
    IServiceScopeFactory scopes, IOptions<PaymentOptions> options, RefundSignal signal, TimeProvider time, ILogger<RefundWorker> logger) : BackgroundService
{
    public const int MaxAttempts = 10;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }

            await signal.WaitAsync(options.Value.RefundInterval, stoppingToken);
        }
    }

    public async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PaymentDbContext>();
        await RequestDueRefundsAsync(db, ct);
        var provider = scope.ServiceProvider.GetRequiredService<IPaymentProvider>();
        var pending = await db.Refunds.AsNoTracking()
            .Where(r => r.Status == RefundStatus.Requested && r.Method == PaymentMethods.Online)
            .OrderBy(r => r.RequestedAt).Take(50).ToListAsync(ct);
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
                                      && !db.Refunds.Any(r => r.OrderId == o.Id)
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
            result = await provider.RefundAsync(
                new ProviderRefundRequest(order.OutTradeNo, refund.OutRefundNo, refund.AmountFen, order.AmountFen, order.Currency, refund.Reason), ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException)
        {
            await NoteAttemptAsync(db, refund, e.Message, ct);
            return;
        }

        if (result.Status == ProviderRefundResult.Success)
        {
            await CompleteAsync(db, refund.Id, result.RefundId, time.GetUtcNow(), logger, ct);
        }
        else if (result.Status == ProviderRefundResult.Processing)
        {
            await NoteAttemptAsync(db, refund, "the provider is processing the refund", ct);
        }
        else
        {
            await db.Refunds.Where(r => r.Id == refund.Id && r.Status == RefundStatus.Requested).ExecuteUpdateAsync(
                set => set.SetProperty(r => r.Status, RefundStatus.Failed).SetProperty(r => r.LastError, $"the provider answered {result.Status}"), ct);
        }
    }

    private static async Task NoteAttemptAsync(PaymentDbContext db, Refund refund, string error, CancellationToken ct)
    {
        var message = error.Length > 500 ? error[..500] : error;
        await db.Refunds.Where(r => r.Id == refund.Id && r.Status == RefundStatus.Requested).ExecuteUpdateAsync(
            set => set.SetProperty(r => r.Attempts, r => r.Attempts + 1)
                .SetProperty(r => r.LastError, message)
                .SetProperty(r => r.Status, r => r.Attempts + 1 >= MaxAttempts ? RefundStatus.Failed : RefundStatus.Requested),
            ct);
    }

    /// <summary>Marks a refund done and its order refunded, with the event, once: the conditional updates decide a race.</summary>
    public static async Task<bool> CompleteAsync(PaymentDbContext db, Guid refundId, string? providerRefundId, DateTimeOffset at, ILogger logger, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var done = await db.Refunds.Where(r => r.Id == refundId && r.Status == RefundStatus.Requested).ExecuteUpdateAsync(
            set => set.SetProperty(r => r.Status, RefundStatus.Succeeded).SetProperty(r => r.ProviderRefundId, providerRefundId).SetProperty(r => r.CompletedAt, at), ct);
        var refund = await db.Refunds.AsNoTracking().FirstAsync(r => r.Id == refundId, ct);
        var refunded = done == 1 ? await db.Orders.Where(o => o.Id == refund.OrderId && o.Status == OrderStatus.Paid).ExecuteUpdateAsync(
            set => set.SetProperty(o => o.Status, OrderStatus.Refunded).SetProperty(o => o.RefundedAt, at), ct) : 0;
        if (refunded == 0)
        {
            await transaction.RollbackAsync(ct);
            return false;
        }

        var order = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == refund.OrderId, ct);
        db.AddIntegrationEvent(new PaymentRefunded(refund.Id, order.Id, order.RegistrationId, order.CampaignId, refund.AmountFen, at));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        LogRefunded(logger, order.Id, order.RegistrationId, refund.AmountFen, refund.Method);
        return true;
    }

    [LoggerMessage(LogLevel.Warning, "Refund run failed; trying again at the next tick")]
    private static partial void LogFailed(ILogger logger, Exception e);

    [LoggerMessage(LogLevel.Information, "Order {OrderId} of registration {RegistrationId} refunded: {AmountFen} fen by {Method}")]
    private static partial void LogRefunded(ILogger logger, Guid orderId, Guid registrationId, long amountFen, string method);
}
