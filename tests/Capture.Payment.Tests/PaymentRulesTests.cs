using System.Security.Cryptography;
using System.Text;
using Capture.Payment.Domain;
using Capture.Payment.Infrastructure.WeChatPay;
using Capture.PaymentProviderSimulator;

namespace Capture.Payment.Tests;

/// <summary>Rules without I/O: money, order transitions, refund eligibility, reconciliation, and the WeChat Pay v3 cryptography against the simulator's independent implementation.</summary>
public sealed class PaymentRulesTests
{
    private static readonly Renumbering Renumbering = new(DateTimeOffset.UtcNow, TimeSpan.FromHours(2));

    [Theory]
    [InlineData("30", 3000)]
    [InlineData("30.00", 3000)]
    [InlineData("¥15.5", 1550)]
    [InlineData(" 0.01 ", 1)]
    public void Yuan_amounts_parse_to_fen(string text, long fen)
    {
        Assert.True(Money.TryParseYuan(text, out var parsed));
        Assert.Equal(fen, parsed);
        Assert.Equal((fen / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture), Money.Yuan(fen));
    }

    [Theory]
    [InlineData("30.001")]
    [InlineData("-30")]
    [InlineData("1e3")]
    [InlineData("")]
    [InlineData("thirty")]
    [InlineData("10000000000")]
    public void Anything_but_a_yuan_amount_with_two_decimals_is_refused(string text) => Assert.False(Money.TryParseYuan(text, out _));

    [Fact]
    public void A_changed_fee_reprices_only_an_unpaid_order_and_an_older_approval_changes_nothing()
    {
        var at = DateTimeOffset.UtcNow;
        var pending = new PaymentOrder { AmountFen = 3000, Status = OrderStatus.Pending, OutTradeNo = "a", ApprovedAt = at };
        Assert.False(OrderRules.ApplyApproval(pending, 1500, at.AddMinutes(-1), Renumbering, out _));
        Assert.True(OrderRules.ApplyApproval(pending, 1500, at.AddMinutes(1), Renumbering, out _));
        Assert.Equal((1500L, OrderStatus.Pending), (pending.AmountFen, pending.Status));
        Assert.NotEqual("a", pending.OutTradeNo);

        var paid = new PaymentOrder { AmountFen = 3000, Status = OrderStatus.Paid, OutTradeNo = "b", ApprovedAt = at };
        Assert.False(OrderRules.ApplyApproval(paid, 1500, at.AddMinutes(1), Renumbering, out _));
        Assert.Equal(3000, paid.AmountFen);

        var toZero = new PaymentOrder { AmountFen = 3000, Status = OrderStatus.Pending, OutTradeNo = "c", ApprovedAt = at };
        Assert.True(OrderRules.ApplyApproval(toZero, 0, at.AddMinutes(1), Renumbering, out _));
        Assert.Equal(OrderStatus.Waived, toZero.Status);
    }

    [Fact]
    public void Refunds_are_due_for_withdrawals_and_absentees_past_the_date_never_for_the_photographed()
    {
        var now = DateTimeOffset.UtcNow;
        var paid = new PaymentOrder { Status = OrderStatus.Paid };
        var absent = new Attendance { AbsentAt = now.AddDays(-3) };
        Assert.Equal(RefundRules.AbsentReason, RefundRules.Due(paid, absent, now.AddDays(-1), now));
        Assert.Null(RefundRules.Due(paid, absent, now.AddDays(1), now));
        Assert.Null(RefundRules.Due(paid, new Attendance { AbsentAt = now, MakeupBookedAt = now }, now.AddDays(-1), now));
        Assert.Null(RefundRules.Due(paid, new Attendance { AbsentAt = now, PhotographedAt = now }, now.AddDays(-1), now));
        Assert.Null(RefundRules.Due(new PaymentOrder { Status = OrderStatus.Pending, WithdrawnAt = now }, null, null, now));
        Assert.Equal(RefundRules.WithdrawnReason, RefundRules.Due(new PaymentOrder { Status = OrderStatus.Paid, WithdrawnAt = now }, null, null, now));
        Assert.Null(RefundRules.Due(new PaymentOrder { Status = OrderStatus.Paid, WithdrawnAt = now }, new Attendance { PhotographedAt = now }, null, now));
    }

    [Fact]
    public void Reconciliation_names_each_kind_of_mismatch()
    {
        PaymentOrder Paid(string no, long fen) => new() { Id = Guid.NewGuid(), OutTradeNo = no, AmountFen = fen, Status = OrderStatus.Paid, Method = PaymentMethods.Online, StudentNumber = no };
        var ok = Paid("ok", 3000);
        var missing = Paid("missing", 3000);
        var differs = Paid("differs", 3000);
        var cancelled = new PaymentOrder { Id = Guid.NewGuid(), OutTradeNo = "cancelled", AmountFen = 3000, Status = OrderStatus.Cancelled };
        StatementLine Line(string no, long fen, string kind = "SUCCESS") => new() { OutTradeNo = no, AmountFen = fen, Kind = kind };
        var mismatches = Reconciliation.Compare(
            [ok, missing, differs],
            new[] { ok, missing, differs, cancelled }.ToDictionary(o => o.OutTradeNo),
            new Dictionary<string, long> { ["ok"] = 3000 },
            [Line("ok", 3000), Line("differs", 2999), Line("cancelled", 3000), Line("stranger", 100), Line("ok", 1000, "REFUND")]);

        Assert.Equal(
            [
                (Reconciliation.AmountDiffers, "differs"), (Reconciliation.NotPaidHere, "cancelled"), (Reconciliation.MissingAtProvider, "missing"),
                (Reconciliation.RefundDiffers, "ok"), (Reconciliation.UnknownOrder, "stranger"),
            ],
            mismatches.Select(m => (m.Kind, m.OutTradeNo)).Order().ToArray());
    }

    [Fact]
    public void The_adapter_verifies_what_the_simulator_signs_and_decrypts_what_it_encrypts_and_nothing_altered()
    {
        using var platform = RSA.Create(2048);
        var body = "{\"id\":\"1\"}";
        var signature = ProviderCrypto.Sign(platform, $"1700000000\nNONCE\n{body}\n");
        Assert.True(WeChatPaySignature.Verify(platform, WeChatPaySignature.ResponseMessage(1700000000, "NONCE", body), signature));
        Assert.False(WeChatPaySignature.Verify(platform, WeChatPaySignature.ResponseMessage(1700000001, "NONCE", body), signature));
        Assert.False(WeChatPaySignature.Verify(platform, WeChatPaySignature.ResponseMessage(1700000000, "NONCE", body + " "), signature));
        Assert.False(WeChatPaySignature.Verify(platform, WeChatPaySignature.ResponseMessage(1700000000, "NONCE", body), "not base64!"));

        var key = "0123456789abcdefghijklmnopqrstuv";
        var cipher = ProviderCrypto.Encrypt(key, "abcdefghijkl", "transaction", "{\"out_trade_no\":\"x\"}");
        Assert.Equal("{\"out_trade_no\":\"x\"}", WeChatPaySignature.Decrypt(Encoding.UTF8.GetBytes(key), "abcdefghijkl", "transaction", cipher));
        Assert.Null(WeChatPaySignature.Decrypt(Encoding.UTF8.GetBytes("0123456789abcdefghijklmnopqrstuX"), "abcdefghijkl", "transaction", cipher));
        Assert.Null(WeChatPaySignature.Decrypt(Encoding.UTF8.GetBytes(key), "abcdefghijkl", "certificate", cipher));
        Assert.Null(WeChatPaySignature.Decrypt(Encoding.UTF8.GetBytes(key), "short", "transaction", cipher));

        using var merchant = RSA.Create(2048);
        var message = WeChatPaySignature.RequestMessage("POST", "/v3/pay/transactions/native", 1700000000, "N", "{}");
        Assert.True(ProviderCrypto.Verify(merchant, message, WeChatPaySignature.Sign(merchant, message)));
        var header = ProviderCrypto.ParseAuthorization(WeChatPaySignature.Authorization("1900000001", "SERIAL", 1700000000, "N", "SIG="));
        Assert.Equal(("1900000001", "SERIAL", "1700000000", "N", "SIG="), (header!["mchid"], header["serial_no"], header["timestamp"], header["nonce_str"], header["signature"]));
    }

    [Theory]
    [InlineData("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", true)]
    [InlineData("o-_9", true)]
    [InlineData("", false)]
    [InlineData(" oUpF8u", false)]
    [InlineData("oUpF8u\n", false)]
    [InlineData("o<b>", false)]
    [InlineData("微信", false)]
    [InlineData(null, false)]
    public void An_openid_is_1_to_128_letters_digits_underscores_or_dashes(string? value, bool valid)
    {
        Assert.Equal(valid, OpenId.IsValid(value));
        Assert.True(OpenId.IsValid(new string('o', 128)));
        Assert.False(OpenId.IsValid(new string('o', 129)));
    }

    [Fact]
    public void A_jsapi_pay_sign_is_the_merchants_signature_over_appid_timestamp_nonce_and_package_each_on_a_line()
    {
        using var merchant = RSA.Create(2048);
        var message = WeChatPaySignature.JsapiPayMessage("wx8888888888888888", "1414561699", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", "prepay_id=wx201410272009395522657a690389285100");
        Assert.Equal("wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n", message);
        Assert.True(ProviderCrypto.Verify(merchant, message, WeChatPaySignature.Sign(merchant, message)));
    }

    [Theory]
    [InlineData("成功", true)]
    [InlineData("已退款", true)]
    [InlineData(" refunded ", true)]
    [InlineData("失败", false)]
    [InlineData("退款失败", false)]
    [InlineData("maybe", null)]
    [InlineData("", null)]
    public void Finance_refund_result_words_are_read(string text, bool? refunded) => Assert.Equal(refunded, CardRefundResults.Parse(text));

    [Fact]
    public void A_provider_failure_tells_the_school_admin_what_happened_and_that_it_is_not_sent_again()
    {
        Assert.Contains("退款异常", RefundRules.ProviderFailure("ABNORMAL"));
        Assert.Contains("退款关闭", RefundRules.ProviderFailure("CLOSED"));
        Assert.All(new[] { "ABNORMAL", "CLOSED", "WHATEVER" }, s => Assert.Contains("not sent again", RefundRules.ProviderFailure(s)));
    }
}
