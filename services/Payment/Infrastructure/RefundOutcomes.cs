using Capture.Contracts.Payment;
using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Infrastructure;

/// <summary>
/// The one place a refund ends, whoever says so (the provider's answer or query, its notify, finance's card result file,
/// staff handing money back): conditional UPDATEs on the refund's and the order's status, and
/// <see cref="PaymentRefunded"/> in the same transaction. Racing callers: exactly one sees the rows change and writes the event.
/// </summary>
public static partial class RefundOutcomes
{
    /// <summary>Marks a refund done and its order refunded, with the event, once. False when it was done already (or the order is not paid).</summary>
    /// <param name="fromFailed">Also complete a refund marked failed: the provider (or finance) saying the money went back is the last word.</param>
    public static async Task<bool> CompleteAsync(
        PaymentDbContext db, Guid refundId, string? providerRefundId, DateTimeOffset at, string via, bool fromFailed, ILogger logger, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (await CompleteInTransactionAsync(db, refundId, providerRefundId, at, via, fromFailed, ct) is not { } completed)
        {
            await transaction.RollbackAsync(ct);
            return false;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        if (completed.Refunded is { } refunded)
        {
            LogRefunded(logger, refunded, via);
        }
        else
        {
            LogSecondPaymentRefunded(logger, completed.Refund.OrderId, completed.Refund.SupersededOutTradeNo!, completed.Refund.AmountFen, via);
        }

        return true;
    }

    /// <summary>
    /// The conditional updates and the event inside the caller's transaction: what was completed, or null when nothing
    /// changed (the caller rolls back then). The caller saves, commits and logs. The refund of a second payment (under a
    /// superseded number) leaves the order as it is and writes no event: the order keeps its own payment.
    /// </summary>
    public static async Task<RefundCompletion?> CompleteInTransactionAsync(
        PaymentDbContext db, Guid refundId, string? providerRefundId, DateTimeOffset at, string via, bool fromFailed, CancellationToken ct)
    {
        at = at.ToUniversalTime(); // providers speak +08:00; PostgreSQL stores instants in UTC
        var done = await db.Refunds
            .Where(r => r.Id == refundId && (r.Status == RefundStatus.Requested || (fromFailed && r.Status == RefundStatus.Failed)))
            .ExecuteUpdateAsync(
                set => set.SetProperty(r => r.Status, RefundStatus.Succeeded)
                    .SetProperty(r => r.ProviderRefundId, r => providerRefundId ?? r.ProviderRefundId)
                    .SetProperty(r => r.ProviderStatus, r => r.Method == PaymentMethods.Online ? ProviderRefundResult.Success : r.ProviderStatus)
                    .SetProperty(r => r.CompletedAt, at)
                    .SetProperty(r => r.CompletedVia, via)
                    .SetProperty(r => r.LastError, (string?)null),
                ct);
        if (done == 0)
        {
            return null;
        }

        var refund = await db.Refunds.AsNoTracking().FirstAsync(r => r.Id == refundId, ct);
        if (refund.IsSecondPayment)
        {
            return new RefundCompletion(refund, null);
        }

        var refunded = await db.Orders.Where(o => o.Id == refund.OrderId && o.Status == OrderStatus.Paid).ExecuteUpdateAsync(
            set => set.SetProperty(o => o.Status, OrderStatus.Refunded).SetProperty(o => o.RefundedAt, at), ct);
        if (refunded == 0)
        {
            return null;
        }

        var order = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == refund.OrderId, ct);
        var refundedEvent = new PaymentRefunded(refund.Id, order.Id, order.RegistrationId, order.CampaignId, refund.AmountFen, at);
        db.AddIntegrationEvent(refundedEvent);
        return new RefundCompletion(refund, refundedEvent);
    }

    /// <summary>Marks a requested refund failed with the reason the school admin reads. False when it is not requested any more.</summary>
    public static Task<int> FailAsync(PaymentDbContext db, Guid refundId, string? providerStatus, string reason, string via, DateTimeOffset at, CancellationToken ct)
    {
        var message = reason.Length > 500 ? reason[..500] : reason;
        return db.Refunds.Where(r => r.Id == refundId && r.Status == RefundStatus.Requested).ExecuteUpdateAsync(
            set => set.SetProperty(r => r.Status, RefundStatus.Failed)
                .SetProperty(r => r.ProviderStatus, r => providerStatus ?? r.ProviderStatus)
                .SetProperty(r => r.LastError, message)
                .SetProperty(r => r.CompletedVia, via)
                .SetProperty(r => r.LastCheckedAt, at),
            ct);
    }

    public static void LogRefunded(ILogger logger, PaymentRefunded refunded, string via) =>
        LogRefundedCore(logger, refunded.PaymentId, refunded.RegistrationId, refunded.AmountFen, via);

    [LoggerMessage(LogLevel.Information, "The second payment of order {OrderId} under {OutTradeNo} went back: {AmountFen} fen ({Via})")]
    private static partial void LogSecondPaymentRefunded(ILogger logger, Guid orderId, string outTradeNo, long amountFen, string via);

    [LoggerMessage(LogLevel.Information, "Order {OrderId} of registration {RegistrationId} refunded: {AmountFen} fen ({Via})")]
    private static partial void LogRefundedCore(ILogger logger, Guid orderId, Guid registrationId, long amountFen, string via);
}

/// <summary>A refund completed: with the order's <see cref="PaymentRefunded"/>, or none for a second payment's refund.</summary>
public sealed record RefundCompletion(Refund Refund, PaymentRefunded? Refunded);
