using System.Globalization;
using System.Text;
using Capture.Registration.Domain;
using Capture.ServiceDefaults.Export;
using NPOI.XSSF.UserModel;

namespace Capture.Registration.Infrastructure;

/// <summary>One line of a per-college summary (汇总表): a college and degree level with its counts by status.</summary>
public sealed record SummaryLine(string CollegeCode, string CollegeName, string DegreeLevel, IReadOnlyDictionary<string, int> ByStatus)
{
    public int Total => ByStatus.Values.Sum();
}

/// <summary>Writes summaries as .xlsx (text in string cells) and as CSV (UTF-8 with BOM, so Excel on a Chinese Windows shows the names right; formulas defused by <see cref="CsvText"/>).</summary>
public static class SummaryExport
{
    private static readonly string[] Header = ["学院代码", "学院", "培养层次", "总数", "待确认", "已确认", "已审核", "未通过", "已撤销"];

    public static byte[] Csv(string title, IReadOnlyList<SummaryLine> lines)
    {
        var text = new StringBuilder();
        text.Append(CsvText.Line(title));
        text.Append(CsvText.Line(Header));
        foreach (var row in Rows(lines))
        {
            // Counts are numbers and go as they are; names and codes come from rosters and are defused.
            text.Append(string.Join(',', row.Select(c => c is int n ? n.ToString(CultureInfo.InvariantCulture) : CsvText.Field(c?.ToString())))).Append("\r\n");
        }

        return [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static byte[] Xlsx(string title, IReadOnlyList<SummaryLine> lines)
    {
        var workbook = new XSSFWorkbook();
        var sheet = workbook.CreateSheet("汇总表");
        sheet.CreateRow(0).CreateCell(0).SetCellValue(title);
        var header = sheet.CreateRow(1);
        for (var i = 0; i < Header.Length; i++)
        {
            header.CreateCell(i).SetCellValue(Header[i]);
        }

        var r = 2;
        foreach (var row in Rows(lines))
        {
            var excel = sheet.CreateRow(r++);
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is int n)
                {
                    excel.CreateCell(i).SetCellValue(n);
                }
                else
                {
                    excel.CreateCell(i).SetCellValue(row[i]?.ToString() ?? "");
                }
            }
        }

        using var stream = new MemoryStream();
        workbook.Write(stream);
        return stream.ToArray();
    }

    private static IEnumerable<object[]> Rows(IReadOnlyList<SummaryLine> lines)
    {
        int Count(SummaryLine l, string status) => l.ByStatus.TryGetValue(status, out var n) ? n : 0;
        foreach (var l in lines)
        {
            yield return [l.CollegeCode, l.CollegeName, DegreeLevels.Chinese(l.DegreeLevel), l.Total,
                Count(l, RegistrationStatus.Registered), Count(l, RegistrationStatus.Confirmed), Count(l, RegistrationStatus.Approved),
                Count(l, RegistrationStatus.Rejected), Count(l, RegistrationStatus.Withdrawn)];
        }

        yield return ["合计", "", "", lines.Sum(l => l.Total),
            lines.Sum(l => Count(l, RegistrationStatus.Registered)), lines.Sum(l => Count(l, RegistrationStatus.Confirmed)),
            lines.Sum(l => Count(l, RegistrationStatus.Approved)), lines.Sum(l => Count(l, RegistrationStatus.Rejected)),
            lines.Sum(l => Count(l, RegistrationStatus.Withdrawn))];
    }
}
