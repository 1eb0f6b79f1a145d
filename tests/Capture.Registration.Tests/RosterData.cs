using System.Globalization;
using System.Text;

namespace Capture.Registration.Tests;

/// <summary>Valid, distinct ID numbers and roster rows for tests; random per call so tests never share students.</summary>
public static class RosterData
{
    private static readonly string[] Regions = ["110105", "310104", "440106", "620102", "430104", "510107"];

    public static string ResidentId(string first17) => first17 + CheckCharacter(first17);

    public static char CheckCharacter(string first17)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * weights[i];
        }

        return "10X98765432"[sum % 11];
    }

    /// <summary><paramref name="count"/> distinct valid resident ID numbers.</summary>
    public static List<string> ResidentIds(int count)
    {
        var region = Regions[Random.Shared.Next(Regions.Length)];
        var start = new DateOnly(1990, 1, 1).AddDays(Random.Shared.Next(0, 4000));
        var offset = Random.Shared.Next(0, 1000);
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var birth = start.AddDays((i + offset) / 1000);
            var seq = ((i + offset) % 1000).ToString("D3", CultureInfo.InvariantCulture);
            return ResidentId(region + birth.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + seq);
        })];
    }

    private static int schoolCodes = Random.Shared.Next(0, 90000);

    /// <summary>A five-digit school code no other call in this test run returns: two tests sharing a school would see each other's data.</summary>
    public static string SchoolCode() => (10000 + Interlocked.Increment(ref schoolCodes) % 90000).ToString(CultureInfo.InvariantCulture);

    public static string Prefix() => "T" + Random.Shared.Next(100000, 999999).ToString(CultureInfo.InvariantCulture);

    public sealed record Row(string StudentNumber, string Name, string IdNumber, string DegreeLevel, string StudyMode, string CollegeCode, string CollegeName, string? ClassName = null, string? Campus = null);

    public static List<Row> Rows(int count, string college = "law", string collegeName = "法学院", string degree = "硕士")
    {
        var prefix = Prefix();
        var ids = ResidentIds(count);
        return [.. Enumerable.Range(0, count).Select(i => new Row($"{prefix}{i:D5}", ChineseName(i), ids[i], degree, "全日制", college, collegeName, "2班", "城关校区"))];
    }

    public static string ChineseName(int i)
    {
        string[] family = ["王", "李", "张", "刘", "陈", "欧阳", "司马"];
        string[] given = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "洋"];
        return family[i % family.Length] + given[(i / family.Length) % given.Length] + given[(i / 70) % given.Length];
    }

    public static object Json(Row r) => new
    {
        studentNumber = r.StudentNumber,
        name = r.Name,
        idNumber = r.IdNumber,
        degreeLevel = r.DegreeLevel,
        studyMode = r.StudyMode,
        collegeCode = r.CollegeCode,
        collegeName = r.CollegeName,
        className = r.ClassName,
        campus = r.Campus,
    };

    public static object Campaign(string cohort = "2025届", DateTimeOffset? correctionDeadline = null) => new
    {
        schoolName = "兰州大学",
        cohort,
        degreeLevels = new[] { "博士", "硕士" },
        studyModes = new[] { "全日制", "非全日制" },
        registrationOpensAt = DateTimeOffset.UtcNow.AddDays(-10),
        registrationClosesAt = DateTimeOffset.UtcNow.AddDays(30),
        correctionDeadline = correctionDeadline ?? DateTimeOffset.UtcNow.AddDays(20),
        feeFen = 2000,
        verificationWindowDays = 40,
    };

    public static readonly string[] Header = ["学号", "姓名", "身份证号", "培养层次", "学习形式", "学院代码", "学院", "班级", "校区"];

    public static string[] Cells(Row r) => [r.StudentNumber, r.Name, r.IdNumber, r.DegreeLevel, r.StudyMode, r.CollegeCode, r.CollegeName, r.ClassName ?? "", r.Campus ?? ""];

    public static string Csv(IEnumerable<string[]> rows) =>
        string.Join("\r\n", rows.Select(r => string.Join(',', r.Select(c => c.Contains(',', StringComparison.Ordinal) ? $"\"{c}\"" : c)))) + "\r\n";

    public static byte[] Gbk(string text)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GBK").GetBytes(text);
    }

    /// <summary>A workbook (.xls when <paramref name="legacy"/>, else .xlsx) with the rows as text cells.</summary>
    public static byte[] Workbook(IEnumerable<string[]> rows, bool legacy)
    {
        NPOI.SS.UserModel.IWorkbook workbook = legacy ? new NPOI.HSSF.UserModel.HSSFWorkbook() : new NPOI.XSSF.UserModel.XSSFWorkbook();
        var sheet = workbook.CreateSheet("名单");
        var r = 0;
        foreach (var row in rows)
        {
            var excel = sheet.CreateRow(r++);
            for (var c = 0; c < row.Length; c++)
            {
                excel.CreateCell(c).SetCellValue(row[c]);
            }
        }

        using var stream = new MemoryStream();
        workbook.Write(stream);
        return stream.ToArray();
    }
}
