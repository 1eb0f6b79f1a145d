using Capture.Payment.Domain;

namespace Capture.Payment.Infrastructure;

/// <summary>
/// The campus-card batch files (003): the export finance loads (order id, student number, name, college, amount in
/// yuan) as CSV (UTF-8 with BOM) or .xlsx, and the result file finance returns (the same columns plus 结果 and 原因),
/// read as CSV in UTF-8 or GBK, or .xlsx.
/// </summary>
public static class CardBatchFiles
{
    public static readonly string[] ExportHeader = ["订单号", "学号", "姓名", "学院", "金额(元)"];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["订单号"] = "order", ["order id"] = "order", ["orderid"] = "order",
        ["学号"] = "student", ["student number"] = "student",
        ["金额(元)"] = "amount", ["金额（元）"] = "amount", ["金额"] = "amount", ["amount"] = "amount",
        ["结果"] = "result", ["扣款结果"] = "result", ["result"] = "result",
        ["原因"] = "reason", ["失败原因"] = "reason", ["reason"] = "reason",
    };

    public static byte[] Csv(IEnumerable<PaymentOrder> orders) => SheetExport.Csv(ExportHeader, orders.Select(Cells));

    public static byte[] Xlsx(IEnumerable<PaymentOrder> orders) => SheetExport.Xlsx("校园卡扣款", ExportHeader, orders.Select(Cells), new Dictionary<int, int> { [0] = 38 });

    private static string[] Cells(PaymentOrder o) => [o.Id.ToString(), o.StudentNumber, o.StudentName, o.CollegeName, Money.Yuan(o.AmountFen)];

    private static readonly CardResultFormat Results = new(Aliases, ["order", "student", "amount", "result"], "订单号, 学号, 金额(元) and 结果",
        CardResults.Parse, "成功 (deducted) or 失败 (failed)");

    /// <summary>The result lines, or every problem found, each with its line number (nothing is applied when there is one).</summary>
    public static (List<CardResultLine> Lines, List<string> Errors) ReadResults(byte[] content) =>
        CardResultSheet.Read(content, Results, (row, problems) =>
        {
            if (!Guid.TryParse(row.Cell("order"), out var orderId))
            {
                problems.Add("订单号 is not an order id from the export");
                return null;
            }

            return new CardResultLine(row.Line, orderId, row.StudentNumber, row.AmountFen, row.Succeeded, row.Reason);
        }, l => (l.Line, $"order {l.OrderId}"));
}
