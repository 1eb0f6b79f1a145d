namespace Capture.Payment.Domain;

/// <summary>When an order gives up its merchant order number, and how long the provider keeps an order payable.</summary>
public readonly record struct Renumbering(DateTimeOffset At, TimeSpan OrderLifetime);

/// <summary>What an approval, a withdrawal or a provider's word does to an order: rules only, no I/O.</summary>
public static class OrderRules
{
    /// <summary>A fee from an approval: 0 to 10,000 yuan (the seeds charge 13 to 30 yuan).</summary>
    public const long MaxFeeFen = 1_000_000;

    /// <summary>The status a new order starts in: fee 0 is waived at once, anything else waits for payment.</summary>
    public static OrderStatus Initial(long feeFen) => feeFen == 0 ? OrderStatus.Waived : OrderStatus.Pending;

    /// <summary>
    /// Applies a (re-)approval to an existing order. A changed fee applies only to an order not yet paid; a cancelled
    /// order comes back when the registration is approved again after the withdrawal. Returns false when nothing changes.
    /// <paramref name="superseded"/> is the number given up with a changed fee, when a provider order may exist under it.
    /// </summary>
    public static bool ApplyApproval(PaymentOrder order, long feeFen, DateTimeOffset approvedAt, Renumbering renumbering, out SupersededTradeNumber? superseded)
    {
        superseded = null;
        if (approvedAt <= order.ApprovedAt)
        {
            return false;
        }

        order.ApprovedAt = approvedAt;
        switch (order.Status)
        {
            case OrderStatus.Pending or OrderStatus.Waived when order.WaiverReason is null:
            case OrderStatus.Cancelled when order.CancelledAt < approvedAt:
                if (order.AmountFen != feeFen)
                {
                    superseded = Reprice(order, feeFen, renumbering);
                }

                order.Status = Initial(feeFen);
                order.CancelledAt = null;
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Applies a campaign's new fee to an order approved before the change. Only an order not yet paid and not waived by
    /// hand changes (a pending one, or one waived because the fee was 0): a fee raised from 0 makes it pending, a fee
    /// lowered to 0 waives it. Returns false when nothing changes. <paramref name="superseded"/> is the number given up,
    /// when a provider order may exist under it.
    /// </summary>
    public static bool ApplyFeeChange(PaymentOrder order, long feeFen, DateTimeOffset changedAt, Renumbering renumbering, out SupersededTradeNumber? superseded)
    {
        superseded = null;
        if (order.ApprovedAt >= changedAt || order.AmountFen == feeFen
            || order.Status is not (OrderStatus.Pending or OrderStatus.Waived) || order.WaiverReason is not null)
        {
            return false;
        }

        superseded = Reprice(order, feeFen, renumbering);
        order.Status = Initial(feeFen);
        return true;
    }

    /// <summary>
    /// An order that stops awaiting payment (waived by hand, cancelled by a withdrawal) gives up its merchant order number
    /// when a provider order may exist under it: the closer closes the code the student was shown, a payment under it
    /// after all is refunded as a second payment, and a later re-approval shows a new code under a new number (never the
    /// closed one). Returns the number given up, or null when no code was ever shown (the number stays).
    /// </summary>
    public static SupersededTradeNumber? GiveUpNumber(PaymentOrder order, Renumbering renumbering)
    {
        var superseded = SupersededRules.Of(order, renumbering.At, renumbering.OrderLifetime);
        if (superseded is not null)
        {
            order.OutTradeNo = PaymentOrder.NewOutTradeNo();
            order.ForgetProviderOrder();
        }

        return superseded;
    }

    /// <summary>
    /// A new fee under a new merchant order number (the provider refuses a second amount under one). The old number is
    /// returned when a provider order may exist under it: it stays payable at the old amount until it is closed.
    /// </summary>
    private static SupersededTradeNumber? Reprice(PaymentOrder order, long feeFen, Renumbering renumbering)
    {
        var superseded = SupersededRules.Of(order, renumbering.At, renumbering.OrderLifetime);
        order.AmountFen = feeFen;
        order.OutTradeNo = PaymentOrder.NewOutTradeNo();
        order.ForgetProviderOrder();
        return superseded;
    }

    /// <summary>Why a provider's "paid" does not match the order, or null when it does.</summary>
    public static string? Mismatch(PaymentOrder order, long paidFen, string currency)
    {
        if (!string.Equals(currency, order.Currency, StringComparison.Ordinal))
        {
            return $"currency {currency} differs from the order's {order.Currency}";
        }

        return paidFen != order.AmountFen ? $"amount {paidFen} fen differs from the order's {order.AmountFen} fen" : null;
    }
}
