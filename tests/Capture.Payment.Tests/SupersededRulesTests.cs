using Capture.Payment.Domain;

namespace Capture.Payment.Tests;

/// <summary>Rules without I/O for merchant order numbers an order gives up: when one is remembered, how closing is retried, what a payment under one does, how the bill matches it.</summary>
public sealed class SupersededRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);
    private static readonly Renumbering Renumbering = new(Now, Lifetime);

    private static PaymentOrder Shown(string channel = PaymentChannels.Native) => new()
    {
        Id = Guid.NewGuid(), AmountFen = 3000, Status = OrderStatus.Pending, OutTradeNo = "old-number", ApprovedAt = Now.AddDays(-1),
        CodeUrl = channel == PaymentChannels.Native ? "weixin://wxpay/bizpayurl?pr=x" : null, PrepayId = channel == PaymentChannels.Jsapi ? "wx1" : null,
        Channel = channel, OnlineStartedAt = Now.AddMinutes(-10),
    };

    [Fact]
    public void A_fee_change_after_the_code_was_shown_remembers_the_old_number_with_its_amount_channel_and_lifetime()
    {
        var order = Shown(PaymentChannels.Jsapi);

        Assert.True(OrderRules.ApplyFeeChange(order, 2500, Now, Renumbering, out var superseded));

        Assert.NotNull(superseded);
        Assert.Equal(("old-number", order.Id, 3000L, PaymentChannels.Jsapi, SupersededState.Open), (superseded.OutTradeNo, superseded.OrderId, superseded.AmountFen, superseded.Channel, superseded.State));
        Assert.Equal((Now, Now.AddMinutes(-10) + Lifetime, Now), (superseded.SupersededAt, superseded.ExpiresAt, superseded.NextAttemptAt));
        Assert.Equal(2500, order.AmountFen);
        Assert.NotEqual("old-number", order.OutTradeNo);
        Assert.Null(order.CodeUrl ?? order.PrepayId ?? order.Channel);
        Assert.Null(order.OnlineStartedAt);
    }

    [Fact]
    public void Nothing_is_remembered_when_no_provider_order_can_exist_or_nothing_changes()
    {
        var unshown = new PaymentOrder { AmountFen = 3000, Status = OrderStatus.Pending, OutTradeNo = "n", ApprovedAt = Now.AddDays(-1) };
        Assert.True(OrderRules.ApplyFeeChange(unshown, 2500, Now, Renumbering, out var none));
        Assert.Null(none);

        var sameFee = Shown();
        Assert.False(OrderRules.ApplyFeeChange(sameFee, 3000, Now, Renumbering, out var unchanged));
        Assert.Null(unchanged);
        Assert.Equal("old-number", sameFee.OutTradeNo);

        var paid = Shown();
        paid.Status = OrderStatus.Paid;
        Assert.False(OrderRules.ApplyFeeChange(paid, 2500, Now, Renumbering, out var keptPaid));
        Assert.Null(keptPaid);

        // A code shown with no channel recorded (before channels were) is a QR code.
        var legacy = new PaymentOrder { AmountFen = 3000, Status = OrderStatus.Pending, OutTradeNo = "legacy", OnlineStartedAt = Now.AddMinutes(-1) };
        Assert.Equal(PaymentChannels.Native, SupersededRules.Of(legacy, Now, Lifetime)!.Channel);
    }

    [Fact]
    public void A_later_approval_with_another_fee_and_a_fee_lowered_to_zero_both_give_up_a_shown_number()
    {
        var order = Shown();
        Assert.True(OrderRules.ApplyApproval(order, 1800, Now, Renumbering, out var byApproval));
        Assert.Equal(("old-number", 3000L), (byApproval!.OutTradeNo, byApproval.AmountFen));

        var cancelled = Shown();
        cancelled.Status = OrderStatus.Cancelled;
        cancelled.CancelledAt = Now.AddHours(-1);
        Assert.True(OrderRules.ApplyApproval(cancelled, 1800, Now, Renumbering, out var reapproved));
        Assert.NotNull(reapproved);
        Assert.Equal(OrderStatus.Pending, cancelled.Status);

        var toZero = Shown();
        Assert.True(OrderRules.ApplyFeeChange(toZero, 0, Now, Renumbering, out var waivedAway));
        Assert.Equal(OrderStatus.Waived, toZero.Status);
        Assert.Equal(3000, waivedAway!.AmountFen);
    }

    [Fact]
    public void Closing_is_retried_with_a_doubling_back_off_up_to_fifteen_minutes_and_given_up_only_past_the_lifetime_when_unpaid()
    {
        Assert.Equal(Now.AddSeconds(15), SupersededRules.NextAttempt(1, Now));
        Assert.Equal(Now.AddSeconds(30), SupersededRules.NextAttempt(2, Now));
        Assert.Equal(Now.AddMinutes(1), SupersededRules.NextAttempt(3, Now));
        Assert.Equal(Now.AddMinutes(15), SupersededRules.NextAttempt(7, Now));
        Assert.Equal(Now.AddMinutes(15), SupersededRules.NextAttempt(1000, Now));

        var number = SupersededRules.Of(Shown(), Now, Lifetime)!;
        Assert.False(SupersededRules.MayGiveUp(number, Now));
        Assert.False(SupersededRules.MayGiveUp(number, number.ExpiresAt));
        Assert.True(SupersededRules.MayGiveUp(number, number.ExpiresAt + SupersededRules.ExpiryGrace));
        Assert.True(SupersededRules.IsUnpaidForGood("NOTPAY"));
        Assert.True(SupersededRules.IsUnpaidForGood("CLOSED"));
        Assert.True(SupersededRules.IsUnpaidForGood(null));
        Assert.False(SupersededRules.IsUnpaidForGood("SUCCESS"));
        Assert.False(SupersededRules.IsUnpaidForGood("USERPAYING"));
    }

    [Fact]
    public void A_payment_under_the_old_number_must_be_the_old_amount_and_pays_only_a_pending_order()
    {
        var number = SupersededRules.Of(Shown(), Now, Lifetime)!;
        Assert.Null(SupersededRules.Mismatch(number, 3000, "CNY"));
        Assert.NotNull(SupersededRules.Mismatch(number, 2500, "CNY"));
        Assert.NotNull(SupersededRules.Mismatch(number, 3000, "USD"));

        Assert.Equal(SupersededState.PaidOrder, SupersededRules.Outcome(new PaymentOrder { Status = OrderStatus.Pending }));
        foreach (var status in new[] { OrderStatus.Paid, OrderStatus.Refunded, OrderStatus.Waived, OrderStatus.Cancelled })
        {
            var order = new PaymentOrder { Status = status };
            Assert.Equal(SupersededState.SecondPayment, SupersededRules.Outcome(order));
            Assert.True(SupersededRules.SecondPaymentReason(order).Length <= 80, "WeChat Pay takes a refund reason of at most 80 characters");
        }
    }

    [Fact]
    public void A_second_payments_refund_goes_against_its_own_number_for_its_whole_amount()
    {
        var order = new PaymentOrder { OutTradeNo = "current", AmountFen = 2000 };
        var own = new Refund { AmountFen = 2000 };
        var second = new Refund { AmountFen = 3000, SupersededOutTradeNo = "old" };

        Assert.Equal(("current", 2000L, false), (own.OutTradeNoOf(order), own.TotalFenOf(order), own.IsSecondPayment));
        Assert.Equal(("old", 3000L, true), (second.OutTradeNoOf(order), second.TotalFenOf(order), second.IsSecondPayment));
    }

    [Fact]
    public void Reconciliation_matches_a_superseded_number_to_its_order_and_lists_an_old_price_and_a_second_payment()
    {
        PaymentOrder Order(string no, long fen, long? repriced = null) => new()
        {
            Id = Guid.NewGuid(), OutTradeNo = no, AmountFen = fen, RepricedFeeFen = repriced, Status = OrderStatus.Paid, Method = PaymentMethods.Online, StudentNumber = no,
        };
        var oldPrice = Order("paid-old", 3000, 2500);
        var paidTwice = Order("current", 2000);
        var waiting = new PaymentOrder { Id = Guid.NewGuid(), OutTradeNo = "waiting-current", AmountFen = 2500, Status = OrderStatus.Pending };
        var secondNumber = new SupersededTradeNumber { OutTradeNo = "second", OrderId = paidTwice.Id, AmountFen = 3000, State = SupersededState.SecondPayment, PaidFen = 3000 };
        var openNumber = new SupersededTradeNumber { OutTradeNo = "open", OrderId = waiting.Id, AmountFen = 3000, State = SupersededState.Open };
        StatementLine Line(string no, long fen, string kind = "SUCCESS") => new() { OutTradeNo = no, AmountFen = fen, Kind = kind };

        var mismatches = Reconciliation.Compare(
            [oldPrice, paidTwice],
            new[] { oldPrice, paidTwice }.ToDictionary(o => o.OutTradeNo),
            new Dictionary<string, long> { ["second"] = 3000 },
            [Line("paid-old", 3000), Line("current", 2000), Line("second", 3000), Line("second", 3000, "REFUND"), Line("open", 3000), Line("stranger", 100)],
            new Dictionary<string, (SupersededTradeNumber, PaymentOrder)> { ["second"] = (secondNumber, paidTwice), ["open"] = (openNumber, waiting) });

        Assert.Equal(
            [
                (Reconciliation.NotPaidHere, "open", waiting.Id, 3000L, 3000L),
                (Reconciliation.PaidOldPrice, "paid-old", oldPrice.Id, 2500L, 3000L),
                (Reconciliation.SecondPayment, "second", paidTwice.Id, 3000L, 3000L),
                (Reconciliation.UnknownOrder, "stranger", Guid.Empty, 0L, 100L),
            ],
            mismatches.Select(m => (m.Kind, m.OutTradeNo, m.OrderId ?? Guid.Empty, m.OursFen ?? 0, m.TheirsFen ?? 0)).OrderBy(m => m.OutTradeNo).ToArray());
    }
}
