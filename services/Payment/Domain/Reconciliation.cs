namespace Capture.Payment.Domain;

/// <summary>A difference between Payment's books and the provider's bill; <see cref="Kind"/> says which.</summary>
public sealed record Mismatch(string Kind, string OutTradeNo, Guid? OrderId, long? OursFen, long? TheirsFen, string Detail);

/// <summary>Compares a day's online payments and refunds with the provider's bill for that day: rules only, no I/O.</summary>
public static class Reconciliation
{
    public const string MissingAtProvider = "paid-here-not-at-provider";
    public const string UnknownOrder = "unknown-order";
    public const string AmountDiffers = "amount-differs";
    public const string NotPaidHere = "paid-at-provider-not-here";
    public const string RefundDiffers = "refund-differs";

    /// <summary>Not a fault: the student paid an earlier price (a payment code shown before the fee changed); both amounts are listed.</summary>
    public const string PaidOldPrice = "paid-old-price";

    /// <summary>A second payment under a superseded order number (the order was paid already, waived or cancelled): refunded automatically.</summary>
    public const string SecondPayment = "second-payment";

    /// <param name="paidThatDay">Online orders Payment recorded as paid on the bill's day.</param>
    /// <param name="referenced">Every order the bill names, by merchant order number (any day, any status).</param>
    /// <param name="refundedThatDay">Succeeded online refunds of that day, by merchant order number (a second payment's refund by its superseded number), with their amounts.</param>
    /// <param name="superseded">Every merchant order number the bill names that an order gave up, with that order.</param>
    public static List<Mismatch> Compare(
        IReadOnlyCollection<PaymentOrder> paidThatDay,
        IReadOnlyDictionary<string, PaymentOrder> referenced,
        IReadOnlyDictionary<string, long> refundedThatDay,
        IReadOnlyCollection<StatementLine> bill,
        IReadOnlyDictionary<string, (SupersededTradeNumber Number, PaymentOrder Order)>? superseded = null)
    {
        superseded ??= new Dictionary<string, (SupersededTradeNumber, PaymentOrder)>();
        var result = new List<Mismatch>();
        var payments = bill.Where(l => l.Kind == "SUCCESS").GroupBy(l => l.OutTradeNo).ToDictionary(g => g.Key, g => g.Sum(l => l.AmountFen));
        var refunds = bill.Where(l => l.Kind == "REFUND").GroupBy(l => l.OutTradeNo).ToDictionary(g => g.Key, g => g.Sum(l => l.AmountFen));

        foreach (var order in paidThatDay.Where(o => !payments.ContainsKey(o.OutTradeNo)))
        {
            result.Add(new Mismatch(MissingAtProvider, order.OutTradeNo, order.Id, order.AmountFen, null, $"student {order.StudentNumber} is paid here but the bill has no payment"));
        }

        foreach (var (outTradeNo, theirs) in payments)
        {
            // A number the order gave up, or kept after being paid by cash or card (its code still payable), is matched to the
            // order; once its payment paid the order, the number is the order's.
            if (superseded.TryGetValue(outTradeNo, out var old) && (old.Number.State != SupersededState.PaidOrder || !referenced.ContainsKey(outTradeNo)))
            {
                result.Add(OfSuperseded(outTradeNo, old.Number, old.Order, theirs));
            }
            else if (!referenced.TryGetValue(outTradeNo, out var order))
            {
                result.Add(new Mismatch(UnknownOrder, outTradeNo, null, null, theirs, "the bill has a payment for an order Payment does not know"));
            }
            else if (order.Status is not (OrderStatus.Paid or OrderStatus.Refunded) || order.Method != PaymentMethods.Online)
            {
                result.Add(new Mismatch(NotPaidHere, outTradeNo, order.Id, order.AmountFen, theirs, $"the provider took the money but the order is {order.Status.ToString().ToLowerInvariant()}{(order.Method is null ? "" : " by " + order.Method)}: refund at the provider"));
            }
            else if (order.AmountFen != theirs)
            {
                result.Add(new Mismatch(AmountDiffers, outTradeNo, order.Id, order.AmountFen, theirs, "the bill's amount differs from the order's"));
            }
            else if (order.RepricedFeeFen is { } fee)
            {
                result.Add(new Mismatch(PaidOldPrice, outTradeNo, order.Id, fee, theirs, $"student {order.StudentNumber} paid the earlier price {theirs} fen (a payment code shown before the fee became {fee} fen)"));
            }
        }

        foreach (var outTradeNo in refundedThatDay.Keys.Union(refunds.Keys))
        {
            var ours = refundedThatDay.GetValueOrDefault(outTradeNo);
            var theirs = refunds.GetValueOrDefault(outTradeNo);
            if (ours != theirs)
            {
                var orderId = referenced.TryGetValue(outTradeNo, out var order) ? order.Id : superseded.TryGetValue(outTradeNo, out var old) ? old.Order.Id : (Guid?)null;
                result.Add(new Mismatch(RefundDiffers, outTradeNo, orderId, ours, theirs, "refunded here and at the provider differ"));
            }
        }

        return result;
    }

    /// <summary>A bill's payment under a number an order gave up: matched to that order, never unknown.</summary>
    private static Mismatch OfSuperseded(string outTradeNo, SupersededTradeNumber number, PaymentOrder order, long theirs) => number.State switch
    {
        SupersededState.SecondPayment when number.PaidFen == theirs =>
            new(SecondPayment, outTradeNo, order.Id, number.PaidFen, theirs, $"student {order.StudentNumber} paid an earlier payment code after the order was {order.Status.ToString().ToLowerInvariant()}{(order.Method is null ? "" : " by " + order.Method)}: refunded automatically"),
        SupersededState.SecondPayment or SupersededState.PaidOrder =>
            new(AmountDiffers, outTradeNo, order.Id, number.PaidFen, theirs, "the bill's amount differs from what was paid under the superseded order number"),
        _ => new(NotPaidHere, outTradeNo, order.Id, number.AmountFen, theirs, $"the provider took the money under an earlier payment code of student {order.StudentNumber}'s order that Payment has not taken yet ({number.State.ToString().ToLowerInvariant()}): its notify or the closer takes it"),
    };
}
