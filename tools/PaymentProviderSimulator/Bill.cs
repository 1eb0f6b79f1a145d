using System.Globalization;
using System.Text;

namespace Capture.PaymentProviderSimulator;

/// <summary>
/// The trade bill (交易账单, bill_type ALL) in WeChat Pay's download format: a header row, one row per payment and per
/// refund with every field prefixed by a backquote, then a totals header and row. Amounts in yuan with two decimals.
/// </summary>
public static class Bill
{
    public const string Header = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";

    public static string TradeBill(ProviderState state, Merchant merchant, DateOnly date)
    {
        var sb = new StringBuilder().Append(Header).Append("\r\n");
        long count = 0, settled = 0, refunded = 0;
        foreach (var o in state.Orders.Values.Where(o => o.Merchant.Mchid == merchant.Mchid).OrderBy(o => o.SuccessTime))
        {
            lock (o)
            {
                if (o.SuccessTime is { } paid && Day(paid) == date)
                {
                    Row(sb, o, paid, "SUCCESS", o.AmountFen, null);
                    count++;
                    settled += o.AmountFen;
                }

                foreach (var r in o.Refunds.Where(r => r.SuccessTime is { } s && Day(s) == date))
                {
                    Row(sb, o, r.SuccessTime!.Value, "REFUND", o.AmountFen, r);
                    count++;
                    refunded += r.AmountFen;
                }
            }
        }

        sb.Append("总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"`{count},`{Yuan(settled)},`{Yuan(refunded)},`0.00,`0.00,`{Yuan(settled)},`{Yuan(refunded)}\r\n");
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, SimOrder o, DateTimeOffset at, string state, long amount, SimRefund? r)
    {
        string[] fields =
        [
            at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), o.Merchant.Appid, o.Merchant.Mchid, "0", "",
            o.TransactionId ?? "", o.OutTradeNo, Transactions.Payer(o), o.TradeType, state, "OTHERS", o.Currency, Yuan(r is null ? amount : 0), "0.00",
            r?.RefundId ?? "0", r?.OutRefundNo ?? "0", Yuan(r?.AmountFen ?? 0), "0.00", r is null ? "" : "ORIGINAL", r?.Status ?? "",
            o.Description.Replace(",", " ", StringComparison.Ordinal), "", "0.00", "0.60%", Yuan(amount), Yuan(r?.AmountFen ?? 0), "",
        ];
        sb.Append(string.Join(',', fields.Select(f => "`" + f))).Append("\r\n");
    }

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.ToOffset(TimeSpan.FromHours(8)).DateTime);

    private static string Yuan(long fen) => (fen / 100m).ToString("0.00", CultureInfo.InvariantCulture);
}
