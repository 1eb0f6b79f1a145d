using Capture.Payment.Domain;

namespace Capture.Payment.Infrastructure;

/// <summary>
/// Reads WeChat Pay's trade bill (交易账单, bill_type ALL): a header row starting 交易时间, data rows whose fields
/// each start with a backquote, then the totals (总交易单数...). Payment rows have 交易状态 SUCCESS and the settled
/// amount in 应结订单金额; refund rows have REFUND and 退款金额. Amounts in yuan.
/// </summary>
public static class TradeBill
{
    public const int MaxLines = 200_000;

    public static (List<StatementLine> Lines, List<string> Errors) Parse(string text, DateOnly billDate, DateTimeOffset now)
    {
        var lines = new List<StatementLine>();
        var errors = new List<string>();
        var rows = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var header = Array.FindIndex(rows, r => r.TrimStart('\uFEFF').StartsWith("交易时间", StringComparison.Ordinal));
        if (header < 0)
        {
            return ([], ["The bill has no header row (交易时间,...): is it a WeChat Pay trade bill of type ALL?"]);
        }

        var columns = rows[header].TrimStart('\uFEFF').Split(',').Select((name, i) => (name, i)).ToDictionary(x => x.name.Trim(), x => x.i);
        int Col(string name) => columns.TryGetValue(name, out var i) ? i : -1;
        int tx = Col("微信订单号"), outTrade = Col("商户订单号"), state = Col("交易状态"), currency = Col("货币种类"), settled = Col("应结订单金额"), refund = Col("退款金额"), outRefund = Col("商户退款单号");
        if (new[] { outTrade, state, settled, refund }.Any(i => i < 0))
        {
            return ([], ["The bill's header lacks 商户订单号, 交易状态, 应结订单金额 or 退款金额."]);
        }

        for (var n = header + 1; n < rows.Length && n < MaxLines; n++)
        {
            var row = rows[n];
            if (string.IsNullOrWhiteSpace(row))
            {
                continue;
            }

            if (row.StartsWith("总交易单数", StringComparison.Ordinal))
            {
                break;
            }

            var f = row.Split(',').Select(x => x.Trim().TrimStart('`')).ToArray();
            string Field(int i) => i >= 0 && i < f.Length ? f[i] : "";
            var kind = Field(state);
            var amountText = kind == "REFUND" ? Field(refund) : Field(settled);
            if (kind is not ("SUCCESS" or "REFUND") || !Money.TryParseYuan(amountText, out var fen) || Field(outTrade).Length is 0 or > 32)
            {
                errors.Add($"line {n + 1}: not a SUCCESS or REFUND row with a merchant order number and an amount");
                continue;
            }

            lines.Add(new StatementLine
            {
                Id = Guid.NewGuid(),
                BillDate = billDate,
                OutTradeNo = Field(outTrade),
                TransactionId = Field(tx) is { Length: > 0 and <= 64 } t ? t : null,
                Kind = kind,
                OutRefundNo = kind == "REFUND" && Field(outRefund) is { Length: > 0 and <= 64 } r ? r : null,
                AmountFen = fen,
                Currency = Field(currency) is { Length: 3 } c ? c : "CNY",
                ImportedAt = now,
            });
        }

        return (lines, errors);
    }
}
