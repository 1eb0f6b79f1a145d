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
}

/// <summary>
/// The one place an order becomes paid, whoever says so (a notify, the poller, cash, a card batch): a conditional
/// UPDATE from <c>Pending</c> that draws the voucher number, and the <see cref="PaymentSucceeded"/> event in the same
/// transaction. Two racing callers: exactly one sees the row change and writes the event.
/// </summary>
public static partial class OrderPayments
{
    public static async Task<PaidOutcome> MarkPaidAsync(
        PaymentDbContext db, PaymentOrder order, string method, string? transactionId, DateTimeOffset paidAt, ILogger logger, CancellationToken ct,
        SupersededTradeNo? paidUnder = null)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var outcome = await MarkPaidInTransactionAsync(db, order, method, transactionId, paidAt, null, ct, paidUnder);
        if (outcome != PaidOutcome.Paid)
        {
            await transaction.RollbackAsync(ct);
            return outcome;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        LogPaid(logger, order.Id, order.RegistrationId, paidUnder?.AmountFen ?? order.AmountFen, method);
        return PaidOutcome.Paid;
    }

    /// <summary>
    /// The conditional update and the event, inside the caller's transaction; the caller saves and commits (or rolls back).
    /// <paramref name="paidUnder"/>: a payment under a number the order had before it was re-priced. The order takes that number
    /// and the price asked then (so the provider's bill matches it), and its current number is remembered in turn (a QR
    /// code shown under it stays payable: a payment there is then a second one, recorded for a refund).
    /// </summary>
    public static async Task<PaidOutcome> MarkPaidInTransactionAsync(
        PaymentDbContext db, PaymentOrder order, string method, string? transactionId, DateTimeOffset paidAt, Guid? remittanceId, CancellationToken ct,
        SupersededTradeNo? paidUnder = null)
    {
        paidAt = paidAt.ToUniversalTime(); // providers speak +08:00; PostgreSQL stores instants in UTC
        if (paidUnder is not null)
        {
            // Rolled back with the rest when the order turns out not to be pending (the caller's transaction).
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO payment.superseded_trade_nos (out_trade_no, order_id, amount_fen, superseded_at)
                SELECT out_trade_no, id, amount_fen, {paidAt} FROM payment.orders
                 WHERE id = {order.Id} AND status = 'Pending' AND out_trade_no <> {paidUnder.OutTradeNo}
                ON CONFLICT (out_trade_no) DO NOTHING
                """,
                ct);
        }

        var paidAmountFen = paidUnder?.AmountFen;
        var paidOutTradeNo = paidUnder?.OutTradeNo;
        var changed = await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE payment.orders
               SET status = 'Paid', amount_fen = COALESCE({paidAmountFen}, amount_fen), out_trade_no = COALESCE({paidOutTradeNo}, out_trade_no), method = {method}, provider_transaction_id = {transactionId}, paid_at = {paidAt}, remittance_id = {remittanceId},
                   voucher_number = 'PZ' || lpad(nextval('payment.voucher_numbers')::text, 8, '0')
             WHERE id = {order.Id} AND status = 'Pending'
            """,
            ct);
        if (changed == 0)
        {
            var status = await db.Orders.Where(o => o.Id == order.Id).Select(o => o.Status).FirstAsync(ct);
            return status is OrderStatus.Paid or OrderStatus.Refunded ? PaidOutcome.AlreadyPaid : PaidOutcome.NotPayable;
        }

        db.AddIntegrationEvent(new PaymentSucceeded(order.Id, order.RegistrationId, order.CampaignId, paidAmountFen ?? order.AmountFen, order.Currency, method, paidAt));
        return PaidOutcome.Paid;
    }

    [LoggerMessage(LogLevel.Information, "Order {OrderId} of registration {RegistrationId} paid: {AmountFen} fen by {Method}")]
    public static partial void LogPaid(ILogger logger, Guid orderId, Guid registrationId, long amountFen, string method);
}
