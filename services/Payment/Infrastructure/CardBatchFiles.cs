using Capture.Payment.Domain;
using Capture.ServiceDefaults.Spreadsheets;

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

    /// <summary>The result lines, or every problem found, each with its line number (nothing is applied when there is one).</summary>
    public static (List<CardResultLine> Lines, List<string> Errors) ReadResults(byte[] content)
    {
        var (sheet, error) = SpreadsheetReader.Read(content);
        if (sheet is null)
        {
            return ([], [error!]);
        }

        var columns = sheet.Headers.Select((h, i) => (Key: Aliases.GetValueOrDefault(h.Trim()), i)).Where(x => x.Key is not null).GroupBy(x => x.Key!).ToDictionary(g => g.Key, g => g.First().i);
        var missing = new[] { "order", "student", "amount", "result" }.Where(k => !columns.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            return ([], [$"The header row needs the columns 订单号, 学号, 金额(元) and 结果 (missing: {string.Join(", ", missing)})."]);
        }

        string? Cell(string?[] cells, string key) => columns.TryGetValue(key, out var i) && i < cells.Length ? cells[i]?.Trim() : null;
        var lines = new List<CardResultLine>();
        var errors = new List<string>();
        foreach (var (line, cells) in sheet.Rows)
        {
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            var problems = new List<string>();
            if (!Guid.TryParse(Cell(cells, "order"), out var orderId))
            {
                problems.Add("订单号 is not an order id from the export");
            }

            var student = Cell(cells, "student") ?? "";
            if (student.Length is 0 or > 32)
            {
                problems.Add("学号 is empty or longer than 32 characters");
            }

            if (!Money.TryParseYuan(Cell(cells, "amount"), out var fen))
            {
                problems.Add("金额(元) is not an amount in yuan with at most two decimals");
            }

            var result = CardResults.Parse(Cell(cells, "result"));
            if (result is null)
            {
                problems.Add("结果 must be 成功 (deducted) or 失败 (failed)");
            }

            var reason = Cell(cells, "reason");
            if (reason is { Length: > 200 })
            {
                problems.Add("原因 is longer than 200 characters");
            }

            if (problems.Count > 0)
            {
                errors.Add($"line {line}: {string.Join("; ", problems)}");
                continue;
            }

            lines.Add(new CardResultLine(line, orderId, student, fen, result!.Value, string.IsNullOrWhiteSpace(reason) ? null : reason));
        }

        foreach (var dup in lines.GroupBy(l => l.OrderId).Where(g => g.Count() > 1))
        {
            errors.Add($"lines {string.Join(", ", dup.Select(l => l.Line))}: order {dup.Key} appears more than once");
        }

        if (lines.Count == 0 && errors.Count == 0)
        {
            errors.Add("The file has no result lines.");
        }

        return (lines, errors);
    }
}
