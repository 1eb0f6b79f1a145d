using Capture.Contracts.Payment;
using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Infrastructure;

/// <summary>What marking an order paid did: the one state change, nothing (it was paid already), or refused.</summary>
public enum PaidOutcome
{
    Paid,
    AlreadyPaid,
    NotPayable,

    /// <summary>An online payment under a number the order no longer has (re-priced, switched or paid under another number meanwhile).</summary>
    Renumbered,
}

/// <summary>
/// The one place an order becomes paid under its own fee, whoever says so (a notify, the poller, cash, a card batch): a
/// conditional UPDATE from <c>Pending</c> that draws the voucher number, and the <see cref="PaymentSucceeded"/> event in
/// the same transaction. Two racing callers: exactly one sees the row change and writes the event. (A payment under a
/// superseded number goes through <see cref="SupersededPayments"/>.)
/// </summary>
public static partial class OrderPayments
{
    /// <summary>An online payment under <paramref name="outTradeNo"/>: applies only while it is still the order's number (else <see cref="PaidOutcome.Renumbered"/>).</summary>
    public static async Task<PaidOutcome> MarkPaidOnlineAsync(
        PaymentDbContext db, PaymentOrder order, string outTradeNo, string? transactionId, DateTimeOffset paidAt, ILogger logger, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var outcome = await MarkPaidInTransactionAsync(db, order, PaymentMethods.Online, transactionId, paidAt, null, outTradeNo, ct);
        if (outcome != PaidOutcome.Paid)
        {
            await transaction.RollbackAsync(ct);
            return outcome;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        LogPaid(logger, order.Id, order.RegistrationId, order.AmountFen, PaymentMethods.Online);
        return PaidOutcome.Paid;
    }

    /// <summary>
    /// The conditional update and the event, inside the caller's transaction; the caller saves and commits (or rolls back).
    /// An online payment names its merchant order number: the order is paid only while it still has that number (and so
    /// the amount that number asked).
    /// </summary>
    public static async Task<PaidOutcome> MarkPaidInTransactionAsync(
        PaymentDbContext db, PaymentOrder order, string method, string? transactionId, DateTimeOffset paidAt, Guid? remittanceId, string? outTradeNo, CancellationToken ct)
    {
        paidAt = paidAt.ToUniversalTime(); // providers speak +08:00; PostgreSQL stores instants in UTC
        var changed = outTradeNo is null
            ? await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                UPDATE payment.orders
                   SET status = 'Paid', method = {method}, provider_transaction_id = {transactionId}, paid_at = {paidAt}, remittance_id = {remittanceId},
                       voucher_number = 'PZ' || lpad(nextval('payment.voucher_numbers')::text, 8, '0')
                 WHERE id = {order.Id} AND status = 'Pending'
                """,
                ct)
            : await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                UPDATE payment.orders
                   SET status = 'Paid', method = {method}, provider_transaction_id = {transactionId}, paid_at = {paidAt}, remittance_id = {remittanceId},
                       voucher_number = 'PZ' || lpad(nextval('payment.voucher_numbers')::text, 8, '0')
                 WHERE id = {order.Id} AND status = 'Pending' AND out_trade_no = {outTradeNo}
                """,
                ct);
        if (changed == 0)
        {
            var now = await db.Orders.AsNoTracking().Where(o => o.Id == order.Id).Select(o => new { o.Status, o.OutTradeNo }).FirstAsync(ct);
            return now.Status is OrderStatus.Paid or OrderStatus.Refunded ? PaidOutcome.AlreadyPaid
                : outTradeNo is not null && now.OutTradeNo != outTradeNo ? PaidOutcome.Renumbered
                : PaidOutcome.NotPayable;
        }

        db.AddIntegrationEvent(new PaymentSucceeded(order.Id, order.RegistrationId, order.CampaignId, order.AmountFen, order.Currency, method, paidAt));
        return PaidOutcome.Paid;
    }

    [LoggerMessage(LogLevel.Information, "Order {OrderId} of registration {RegistrationId} paid: {AmountFen} fen by {Method}")]
    public static partial void LogPaid(ILogger logger, Guid orderId, Guid registrationId, long amountFen, string method);
}
