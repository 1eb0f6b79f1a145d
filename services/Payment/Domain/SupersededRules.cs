namespace Capture.Payment.Domain;

/// <summary>When a merchant order number given up must be remembered, how its closing is retried, and what a payment under it does: rules only, no I/O.</summary>
public static class SupersededRules
{
    /// <summary>The first retry after a provider error; each later one waits twice as long, up to <see cref="MaxBackOff"/>.</summary>
    public static readonly TimeSpan FirstBackOff = TimeSpan.FromSeconds(15);

    public static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(15);

    /// <summary>Clocks differ: the closer gives up only this long after the provider order's lifetime ended.</summary>
    public static readonly TimeSpan ExpiryGrace = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The order's current number to remember before the order takes another, or null when no provider order can exist
    /// under it (no QR code shown, no prepay made).
    /// </summary>
    public static SupersededTradeNumber? Of(PaymentOrder order, DateTimeOffset now, TimeSpan orderLifetime) =>
        order.CodeUrl is null && order.PrepayId is null && order.OnlineStartedAt is null ? null : Remember(order, now, orderLifetime);

    /// <summary>The order's current number as a superseded one, to close (and to take a payment under it at the order's current amount).</summary>
    public static SupersededTradeNumber Remember(PaymentOrder order, DateTimeOffset now, TimeSpan orderLifetime) =>
        new()
        {
            OutTradeNo = order.OutTradeNo,
            OrderId = order.Id,
            AmountFen = order.AmountFen,
            Currency = order.Currency,
            Channel = order.Channel ?? PaymentChannels.Native,
            SupersededAt = now,
            ExpiresAt = (order.OnlineStartedAt ?? now) + orderLifetime,
            State = SupersededState.Open,
            NextAttemptAt = now,
        };

    /// <summary>When to try closing again after the <paramref name="attempts"/>-th attempt failed: 15 s, 30 s, 1 min, ... at most 15 min.</summary>
    public static DateTimeOffset NextAttempt(int attempts, DateTimeOffset now)
    {
        var doublings = Math.Clamp(attempts - 1, 0, 16);
        var wait = FirstBackOff * Math.Pow(2, doublings);
        return now + (wait < MaxBackOff ? wait : MaxBackOff);
    }

    /// <summary>After this the provider order cannot be paid any more (its lifetime is over): a final query saying unpaid ends the retries.</summary>
    public static bool MayGiveUp(SupersededTradeNumber number, DateTimeOffset now) => now >= number.ExpiresAt + ExpiryGrace;

    /// <summary>WeChat Pay trade states of an order that was not paid and, past its lifetime, never will be (null: the provider does not know it).</summary>
    public static bool IsUnpaidForGood(string? tradeState) => tradeState is null or "NOTPAY" or "CLOSED" or "REVOKED" or "PAYERROR";

    /// <summary>Why a provider's "paid" under the number is not its payment, or null when it is: the amount asked under the number, not the order's current fee.</summary>
    public static string? Mismatch(SupersededTradeNumber number, long paidFen, string currency)
    {
        if (!string.Equals(currency, number.Currency, StringComparison.Ordinal))
        {
            return $"currency {currency} differs from the superseded order number's {number.Currency}";
        }

        return paidFen != number.AmountFen ? $"amount {paidFen} fen differs from the {number.AmountFen} fen asked under the superseded order number" : null;
    }

    /// <summary>
    /// A payment under a superseded number pays the order only while the order awaits payment (the student paid the price
    /// asked when they paid); an order paid (under another number, by card or cash), refunded, waived or cancelled makes it
    /// a second payment, refunded.
    /// </summary>
    public static SupersededState Outcome(PaymentOrder order) =>
        order.Status == OrderStatus.Pending ? SupersededState.PaidOrder : SupersededState.SecondPayment;

    /// <summary>The refund's reason (WeChat Pay shows at most 80 characters of it to the student).</summary>
    public static string SecondPaymentReason(PaymentOrder order) =>
        $"paid twice: an earlier payment code was paid, order {order.Status.ToString().ToLowerInvariant()}";
}
