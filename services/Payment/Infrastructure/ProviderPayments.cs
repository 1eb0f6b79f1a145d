using Capture.Payment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Capture.Payment.Infrastructure;

/// <summary>What the provider's word that an order number was paid did.</summary>
public enum PaymentTaken
{
    /// <summary>The order is paid now (one event written).</summary>
    Paid,

    /// <summary>Told before: nothing changed.</summary>
    AlreadyPaid,

    /// <summary>The order no longer awaited payment: a second payment, refunded automatically.</summary>
    SecondPayment,

    UnknownOrder,

    /// <summary>The amount or currency is not what the number asked.</summary>
    Mismatch,
}

public sealed record PaymentTakenResult(PaymentTaken Outcome, Guid? OrderId, string? Detail = null);

/// <summary>
/// A successful payment the provider reports (by notify, or when asked), under whichever of an order's numbers it names:
/// its current number makes it paid under its fee (<see cref="OrderPayments"/>); a number it gave up
/// (<see cref="SupersededTradeNumber"/>) is taken at the amount asked under that number, as the order's payment or as a
/// second payment to refund (<see cref="SupersededPayments"/>). The notify and the poller both come through here.
/// </summary>
public static class ProviderPayments
{
    public static async Task<PaymentTakenResult> TakeAsync(PaymentDbContext db, ProviderTransaction t, Renumbering renumbering, ILogger logger, CancellationToken ct)
    {
        var number = await db.SupersededTradeNumbers.AsNoTracking().FirstOrDefaultAsync(s => s.OutTradeNo == t.OutTradeNo, ct);
        if (number is null)
        {
            var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.OutTradeNo == t.OutTradeNo, ct);
            if (order is null)
            {
                // It may have been given up between the two reads.
                number = await db.SupersededTradeNumbers.AsNoTracking().FirstOrDefaultAsync(s => s.OutTradeNo == t.OutTradeNo, ct);
                if (number is null)
                {
                    return new(PaymentTaken.UnknownOrder, null, $"No order has the merchant order number {t.OutTradeNo}.");
                }
            }
            else
            {
                if (OrderRules.Mismatch(order, t.AmountFen ?? -1, t.Currency ?? "") is { } mismatch)
                {
                    return new(PaymentTaken.Mismatch, order.Id, mismatch);
                }

                var outcome = await OrderPayments.MarkPaidOnlineAsync(db, order, t.OutTradeNo, t.TransactionId, t.SuccessTime ?? renumbering.At, logger, ct);
                if (outcome == PaidOutcome.Paid)
                {
                    return new(PaymentTaken.Paid, order.Id);
                }

                // Not paid by this call: told before, or the order moved on from this number (re-priced, switched, paid under
                // another number or another way) at the same moment.
                var current = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == order.Id, ct);
                if (current.Status is OrderStatus.Paid or OrderStatus.Refunded && current.Method == PaymentMethods.Online && current.OutTradeNo == t.OutTradeNo)
                {
                    return new(PaymentTaken.AlreadyPaid, order.Id);
                }

                number = await db.SupersededTradeNumbers.AsNoTracking().FirstOrDefaultAsync(s => s.OutTradeNo == t.OutTradeNo, ct);
                if (number is null)
                {
                    // The order left this number without remembering it (paid by cash or card, renumbered, or waived or
                    // cancelled before numbers were given up): remember it now, at the amount it asked, so the payment is the
                    // order's or a second one, refunded, never lost.
                    number = SupersededRules.Remember(order, renumbering.At, renumbering.OrderLifetime);
                    await SupersededPayments.RememberAsync(db, number, ct);
                    number = await db.SupersededTradeNumbers.AsNoTracking().FirstAsync(s => s.OutTradeNo == t.OutTradeNo, ct);
                }
            }
        }

        if (SupersededRules.Mismatch(number, t.AmountFen ?? -1, t.Currency ?? "") is { } differs)
        {
            return new(PaymentTaken.Mismatch, number.OrderId, differs);
        }

        var (taken, orderId) = await SupersededPayments.TakeAsync(db, number, t, renumbering, logger, ct);
        return taken switch
        {
            SupersededOutcome.PaidOrder => new(PaymentTaken.Paid, orderId),
            SupersededOutcome.SecondPayment => new(PaymentTaken.SecondPayment, orderId),
            _ => new(PaymentTaken.AlreadyPaid, orderId),
        };
    }
}
