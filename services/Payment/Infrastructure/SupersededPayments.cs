using Capture.Contracts.Payment;
using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Infrastructure;

/// <summary>What a payment under a superseded merchant order number did.</summary>
public enum SupersededOutcome
{
    /// <summary>It paid the order (at the amount asked under that number).</summary>
    PaidOrder,

    /// <summary>The order did not await payment any more: a second payment, refunded automatically.</summary>
    SecondPayment,

    /// <summary>The payment was taken before (a duplicate notify, or the closer or a query got there first): nothing changed.</summary>
    AlreadyTaken,
}

/// <summary>
/// The one place a merchant order number the order gave up (<see cref="SupersededTradeNumber"/>) is remembered and a
/// payment under it is taken. Taking it is one transaction: a conditional UPDATE of the number's state (so duplicate or
/// concurrent notifies, the closer and the poller find it taken once), then, under the order's row lock, either the order
/// paid at the amount actually paid (its number becomes the paid one, the fee it had is kept as
/// <see cref="PaymentOrder.RepricedFeeFen"/>, one <see cref="PaymentSucceeded"/>), or a refund of the second payment.
/// </summary>
public static partial class SupersededPayments
{
    /// <summary>Remembers a number given up (in the caller's transaction, if any); a number remembered before stays as it is.</summary>
    public static Task<int> RememberAsync(PaymentDbContext db, SupersededTradeNumber n, CancellationToken ct) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO payment.superseded_trade_numbers (out_trade_no, order_id, amount_fen, currency, channel, superseded_at, expires_at, state, attempts, next_attempt_at)
            VALUES ({n.OutTradeNo}, {n.OrderId}, {n.AmountFen}, {n.Currency}, {n.Channel}, {n.SupersededAt.ToUniversalTime()}, {n.ExpiresAt.ToUniversalTime()}, 'Open', 0, {n.NextAttemptAt.ToUniversalTime()})
            ON CONFLICT (out_trade_no) DO NOTHING
            """,
            ct);

    /// <summary>
    /// Remembers the order's current number when a provider order may exist under it (SupersededRules.Of: a QR code shown,
    /// a prepay made), reading it under the caller's transaction: an order paid by cash or card keeps its number, but the
    /// code the student may still scan is to be closed, and a payment under it is a second payment.
    /// </summary>
    public static Task<int> RememberCurrentAsync(PaymentDbContext db, Guid orderId, Renumbering renumbering, CancellationToken ct)
    {
        var now = renumbering.At.ToUniversalTime();
        return db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO payment.superseded_trade_numbers (out_trade_no, order_id, amount_fen, currency, channel, superseded_at, expires_at, state, attempts, next_attempt_at)
            SELECT out_trade_no, id, amount_fen, currency, coalesce(channel, {PaymentChannels.Native}), {now}, coalesce(online_started_at, {now}) + {renumbering.OrderLifetime}, 'Open', 0, {now}
              FROM payment.orders
             WHERE id = {orderId} AND (code_url IS NOT NULL OR prepay_id IS NOT NULL OR online_started_at IS NOT NULL)
            ON CONFLICT (out_trade_no) DO NOTHING
            """,
            ct);
    }

    /// <summary>
    /// Takes the provider's payment under a superseded number. The caller has checked that it is authentic and that its
    /// amount and currency are the number's (<see cref="SupersededRules.Mismatch"/>).
    /// </summary>
    public static async Task<(SupersededOutcome Outcome, Guid OrderId)> TakeAsync(
        PaymentDbContext db, SupersededTradeNumber number, ProviderTransaction t, Renumbering renumbering, ILogger logger, CancellationToken ct)
    {
        var paidFen = t.AmountFen ?? number.AmountFen;
        var paidAt = (t.SuccessTime ?? renumbering.At).ToUniversalTime(); // providers speak +08:00; PostgreSQL stores instants in UTC
        var now = renumbering.At.ToUniversalTime();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        try
        {
            // The number's row decides: whoever moves it out of open/closed/expired takes the payment; the others wait here and find it taken.
            var taken = await db.SupersededTradeNumbers
                .Where(s => s.OutTradeNo == number.OutTradeNo
                            && (s.State == SupersededState.Open || s.State == SupersededState.Closed || s.State == SupersededState.Expired))
                .ExecuteUpdateAsync(
                    set => set.SetProperty(s => s.State, SupersededState.SecondPayment)
                        .SetProperty(s => s.PaidFen, paidFen)
                        .SetProperty(s => s.TransactionId, t.TransactionId)
                        .SetProperty(s => s.PaidAt, paidAt)
                        .SetProperty(s => s.SettledAt, now)
                        .SetProperty(s => s.LastError, (string?)null),
                    ct);
            if (taken == 0)
            {
                await transaction.RollbackAsync(ct);
                return (SupersededOutcome.AlreadyTaken, number.OrderId);
            }

            var order = (await db.Orders.FromSqlInterpolated($"SELECT *, xmin FROM payment.orders WHERE id = {number.OrderId} FOR UPDATE").AsNoTracking().ToListAsync(ct)).Single();
            if (SupersededRules.Outcome(order) == SupersededState.PaidOrder)
            {
                await PayOrderAsync(db, order, number, t.TransactionId, paidFen, paidAt, renumbering, ct);
            }
            else
            {
                db.Refunds.Add(new Refund
                {
                    Id = Guid.NewGuid(),
                    OrderId = order.Id,
                    AmountFen = paidFen,
                    Method = PaymentMethods.Online,
                    Reason = SupersededRules.SecondPaymentReason(order),
                    Status = RefundStatus.Requested,
                    OutRefundNo = RefundRequests.NewOutRefundNo(),
                    RequestedAt = now,
                    SupersededOutTradeNo = number.OutTradeNo,
                });
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            if (SupersededRules.Outcome(order) == SupersededState.PaidOrder)
            {
                LogPaidOldNumber(logger, order.Id, number.OutTradeNo, paidFen, order.AmountFen);
                return (SupersededOutcome.PaidOrder, order.Id);
            }

            LogSecondPayment(logger, order.Id, number.OutTradeNo, paidFen, order.Status);
            return (SupersededOutcome.SecondPayment, order.Id);
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// The order (locked, pending) paid under the superseded number at what was paid. Its current number is remembered
    /// in turn when a provider order may exist under it, so the closer closes it and a payment under it is refunded.
    /// </summary>
    private static async Task PayOrderAsync(
        PaymentDbContext db, PaymentOrder order, SupersededTradeNumber number, string? transactionId, long paidFen, DateTimeOffset paidAt, Renumbering renumbering, CancellationToken ct)
    {
        if (SupersededRules.Of(order, renumbering.At, renumbering.OrderLifetime) is { } current && current.OutTradeNo != number.OutTradeNo)
        {
            await RememberAsync(db, current, ct);
        }

        long? repricedFee = order.AmountFen != paidFen ? order.AmountFen : null;
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            UPDATE payment.orders
               SET status = 'Paid', method = {PaymentMethods.Online}, out_trade_no = {number.OutTradeNo}, amount_fen = {paidFen}, repriced_fee_fen = {repricedFee},
                   provider_transaction_id = {transactionId}, paid_at = {paidAt}, channel = {number.Channel},
                   code_url = NULL, prepay_id = NULL, payer_open_id = NULL, online_started_at = NULL,
                   voucher_number = 'PZ' || lpad(nextval('payment.voucher_numbers')::text, 8, '0')
             WHERE id = {order.Id} AND status = 'Pending'
            """,
            ct);
        await db.SupersededTradeNumbers.Where(s => s.OutTradeNo == number.OutTradeNo)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.State, SupersededState.PaidOrder), ct);
        db.AddIntegrationEvent(new PaymentSucceeded(order.Id, order.RegistrationId, order.CampaignId, paidFen, order.Currency, PaymentMethods.Online, paidAt));
    }

    [LoggerMessage(LogLevel.Information, "Order {OrderId} paid under its superseded order number {OutTradeNo}: {PaidFen} fen (its fee was {FeeFen} fen)")]
    private static partial void LogPaidOldNumber(ILogger logger, Guid orderId, string outTradeNo, long paidFen, long feeFen);

    [LoggerMessage(LogLevel.Warning, "A second payment of order {OrderId} ({Status}) under its superseded order number {OutTradeNo}: {PaidFen} fen, refunded automatically")]
    private static partial void LogSecondPayment(ILogger logger, Guid orderId, string outTradeNo, long paidFen, OrderStatus status);
}
