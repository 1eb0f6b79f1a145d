using System.Text;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Time;
using Capture.Verification.Domain;
using NPOI.XSSF.UserModel;

namespace Capture.Verification.Infrastructure;

/// <summary>Lists of students for colleges and schools, as CSV (UTF-8 with BOM, or GB18030/GBK for old Excel) and .xlsx. ID numbers masked.</summary>
public static class TaskLists
{
    private static readonly string[] Header = ["学院代码", "学院", "学号", "姓名", "证件号码", "培养层次", "校对状态", "截止时间"];

    static TaskLists() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static string?[] Row(VerificationTask t) =>
    [
        t.CollegeCode, t.CollegeName, t.StudentNumber, t.StudentName, PersonalData.MaskIdNumber(t.IdNumber), t.DegreeLevel,
        t.Withdrawn ? "withdrawn" : t.State.Kebab(), t.Deadline is { } d ? d.ToShanghai().ToString("yyyy-MM-dd HH:mm") : "",
    ];

    public static byte[] Csv(IEnumerable<VerificationTask> tasks, bool gbk)
    {
        var text = new StringBuilder();
        text.Append(Infrastructure.Csv.Line(Header));
        foreach (var t in tasks)
        {
            text.Append(Infrastructure.Csv.Line(Row(t)));
        }

        return gbk
            ? Encoding.GetEncoding("GB18030").GetBytes(text.ToString())
            : [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static byte[] Xlsx(string sheetName, IEnumerable<VerificationTask> tasks)
    {
        var workbook = new XSSFWorkbook();
        var sheet = workbook.CreateSheet(sheetName);
        var header = sheet.CreateRow(0);
        for (var i = 0; i < Header.Length; i++)
        {
            header.CreateCell(i).SetCellValue(Header[i]);
        }

        var r = 1;
        foreach (var t in tasks)
        {
            var row = sheet.CreateRow(r++);
            var values = Row(t);
            for (var i = 0; i < values.Length; i++)
            {
                row.CreateCell(i).SetCellValue(values[i] ?? "");
            }
        }

        using var stream = new MemoryStream();
        workbook.Write(stream);
        return stream.ToArray();
    }
}
