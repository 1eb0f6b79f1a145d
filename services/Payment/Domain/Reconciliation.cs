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

    /// <param name="paidThatDay">Online orders Payment recorded as paid on the bill's day.</param>
    /// <param name="referenced">Every order the bill names, by merchant order number (any day, any status).</param>
    /// <param name="refundedThatDay">Succeeded online refunds of that day, by merchant order number, with their amounts.</param>
    public static List<Mismatch> Compare(
        IReadOnlyCollection<PaymentOrder> paidThatDay,
        IReadOnlyDictionary<string, PaymentOrder> referenced,
        IReadOnlyDictionary<string, long> refundedThatDay,
        IReadOnlyCollection<StatementLine> bill)
    {
        var result = new List<Mismatch>();
        var payments = bill.Where(l => l.Kind == "SUCCESS").GroupBy(l => l.OutTradeNo).ToDictionary(g => g.Key, g => g.Sum(l => l.AmountFen));
        var refunds = bill.Where(l => l.Kind == "REFUND").GroupBy(l => l.OutTradeNo).ToDictionary(g => g.Key, g => g.Sum(l => l.AmountFen));

        foreach (var order in paidThatDay.Where(o => !payments.ContainsKey(o.OutTradeNo)))
        {
            result.Add(new Mismatch(MissingAtProvider, order.OutTradeNo, order.Id, order.AmountFen, null, $"student {order.StudentNumber} is paid here but the bill has no payment"));
        }

        foreach (var (outTradeNo, theirs) in payments)
        {
            if (!referenced.TryGetValue(outTradeNo, out var order))
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
        }

        foreach (var outTradeNo in refundedThatDay.Keys.Union(refunds.Keys))
        {
            var ours = refundedThatDay.GetValueOrDefault(outTradeNo);
            var theirs = refunds.GetValueOrDefault(outTradeNo);
            if (ours != theirs)
            {
                referenced.TryGetValue(outTradeNo, out var order);
                result.Add(new Mismatch(RefundDiffers, outTradeNo, order?.Id, ours, theirs, "refunded here and at the provider differ"));
            }
        }

        return result;
    }
}
