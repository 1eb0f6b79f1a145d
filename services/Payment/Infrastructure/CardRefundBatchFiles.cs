using Capture.Payment.Domain;

namespace Capture.Payment.Infrastructure;

/// <summary>
/// The campus-card refund files (校园卡退款): the export finance loads to credit cards back (refund id, order id, student
/// number, name, college, amount in yuan) as CSV (UTF-8 with BOM) or .xlsx, and the result file finance returns (the
/// same columns plus 结果 and 原因), read as CSV in UTF-8 or GBK, or .xlsx.
/// </summary>
public static class CardRefundBatchFiles
{
    public static readonly string[] ExportHeader = ["退款单号", "订单号", "学号", "姓名", "学院", "金额(元)"];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["退款单号"] = "refund", ["退款编号"] = "refund", ["refund id"] = "refund", ["refundid"] = "refund",
        ["订单号"] = "order", ["order id"] = "order", ["orderid"] = "order",
        ["学号"] = "student", ["student number"] = "student",
        ["金额(元)"] = "amount", ["金额（元）"] = "amount", ["金额"] = "amount", ["退款金额"] = "amount", ["退款金额(元)"] = "amount", ["amount"] = "amount",
        ["结果"] = "result", ["退款结果"] = "result", ["result"] = "result",
        ["原因"] = "reason", ["失败原因"] = "reason", ["reason"] = "reason",
    };

    public static byte[] Csv(IEnumerable<(Refund Refund, PaymentOrder Order)> rows) => SheetExport.Csv(ExportHeader, rows.Select(Cells));

    public static byte[] Xlsx(IEnumerable<(Refund Refund, PaymentOrder Order)> rows) =>
        SheetExport.Xlsx("校园卡退款", ExportHeader, rows.Select(Cells), new Dictionary<int, int> { [0] = 38, [1] = 38 });

    private static string[] Cells((Refund Refund, PaymentOrder Order) x) =>
        [x.Refund.Id.ToString(), x.Order.Id.ToString(), x.Order.StudentNumber, x.Order.StudentName, x.Order.CollegeName, Money.Yuan(x.Refund.AmountFen)];

    private static readonly CardResultFormat Results = new(Aliases, ["refund", "student", "amount", "result"], "退款单号, 学号, 金额(元) and 结果",
        CardRefundResults.Parse, "成功 (credited back to the card) or 失败 (failed)");

    /// <summary>The result lines, or every problem found, each with its line number (nothing is applied when there is one).</summary>
    public static (List<CardRefundResultLine> Lines, List<string> Errors) ReadResults(byte[] content) =>
        CardResultSheet.Read(content, Results, (row, problems) =>
        {
            var refundOk = Guid.TryParse(row.Cell("refund"), out var refundId);
            if (!refundOk)
            {
                problems.Add("退款单号 is not a refund id from the export");
            }

            // The order id is optional in the result (finance may drop the column); when given, it must be one.
            Guid? orderId = null;
            if (row.Cell("order") is { Length: > 0 } orderText)
            {
                if (Guid.TryParse(orderText, out var parsed))
                {
                    orderId = parsed;
                }
                else
                {
                    problems.Add("订单号 is not an order id from the export");
                    return null;
                }
            }

            return refundOk ? new CardRefundResultLine(row.Line, refundId, orderId, row.StudentNumber, row.AmountFen, row.Succeeded, row.Reason) : null;
        }, l => (l.Line, $"refund {l.RefundId}"));
}
