using System.Text;
using Capture.ServiceDefaults.Security;
using Capture.ServiceDefaults.Time;
using Capture.Verification.Domain;
using NPOI.SS.UserModel;
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

    private static readonly string[] PrintHeader = ["序号", "学院", "学号", "姓名", "培养层次", "照片文件名", "校对状态"];

    private const int ThumbnailColumn = 7;

    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>
    /// A college's print list for diplomas (one sheet per college): name, student number and the photo's file name, in
    /// student-number order; with <paramref name="thumbnails"/> (standardised JPEGs by registration id) a last column
    /// shows each photo, scaled into its cell (3:4), or says that it is missing.
    /// </summary>
    public static byte[] PrintList(IEnumerable<VerificationTask> tasks, IReadOnlyDictionary<Guid, byte[]>? thumbnails = null)
    {
        var workbook = new XSSFWorkbook();
        foreach (var college in tasks.GroupBy(t => (t.CollegeCode, t.CollegeName)).OrderBy(g => g.Key.CollegeCode, StringComparer.Ordinal))
        {
            var name = string.Concat((college.Key.CollegeName.Length > 0 ? college.Key.CollegeName : college.Key.CollegeCode).Where(c => c is not ('[' or ']' or '*' or '?' or '/' or '\\' or ':')));
            name = name.Length == 0 ? "college" : name.Length > 31 ? name[..31] : name;
            if (workbook.GetSheet(name) is not null)
            {
                name = (name.Length > 24 ? name[..24] : name) + "-" + workbook.NumberOfSheets;
            }

            var sheet = workbook.CreateSheet(name);
            var header = sheet.CreateRow(0);
            for (var i = 0; i < PrintHeader.Length; i++)
            {
                header.CreateCell(i).SetCellValue(PrintHeader[i]);
            }

            var drawing = thumbnails is null ? null : sheet.CreateDrawingPatriarch();
            if (thumbnails is not null)
            {
                header.CreateCell(ThumbnailColumn).SetCellValue("照片");
                sheet.SetColumnWidth(ThumbnailColumn, 10 * 256); // about 75 px wide: 3:4 with the row height below
            }

            var r = 1;
            foreach (var t in college.OrderBy(t => t.StudentNumber, StringComparer.Ordinal))
            {
                var row = sheet.CreateRow(r);
                row.CreateCell(0).SetCellValue(r);
                row.CreateCell(1).SetCellValue(t.CollegeName);
                row.CreateCell(2).SetCellValue(t.StudentNumber ?? "");
                row.CreateCell(3).SetCellValue(t.StudentName ?? "");
                row.CreateCell(4).SetCellValue(t.DegreeLevel ?? "");
                row.CreateCell(5).SetCellValue(ExportNaming.FileName(ExportNaming.StudentNumber, t.IdNumber, t.StudentNumber) ?? "");
                row.CreateCell(6).SetCellValue(t.State.Kebab());
                if (thumbnails is not null)
                {
                    row.HeightInPoints = 75; // 100 px
                    if (thumbnails.TryGetValue(t.RegistrationId, out var jpeg))
                    {
                        var picture = workbook.AddPicture(jpeg, PictureType.JPEG);
                        drawing!.CreatePicture(new XSSFClientAnchor(0, 0, 0, 0, ThumbnailColumn, r, ThumbnailColumn + 1, r + 1), picture);
                    }
                    else
                    {
                        row.CreateCell(ThumbnailColumn).SetCellValue("照片缺失 / photo missing");
                    }
                }

                r++;
            }
        }

        if (workbook.NumberOfSheets == 0)
        {
            workbook.CreateSheet("empty").CreateRow(0).CreateCell(0).SetCellValue("No students with an accepted photo in your scope.");
        }

        using var stream = new MemoryStream();
        workbook.Write(stream);
        return stream.ToArray();
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
