using System.Text;
using NPOI.SS.UserModel;
using NPOI.XSSF.UserModel;

namespace Capture.Payment.Infrastructure;

/// <summary>The printable list of paid vouchers (拍照凭证) for a college: CSV (UTF-8 with BOM) or .xlsx, the same columns.</summary>
public static class VoucherList
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static readonly string[] Header = ["凭证号", "学号", "姓名", "学院", "班级", "金额(元)", "项目", "方式", "缴费时间"];

    public static byte[] Csv(IEnumerable<string[]> rows)
    {
        var csv = new StringBuilder(string.Join(',', Header)).Append("\r\n");
        foreach (var row in rows)
        {
            csv.Append(string.Join(',', row.Select(Apis.Csv.Field))).Append("\r\n");
        }

        // With a BOM, so that Excel opens the Chinese names as UTF-8.
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    public static byte[] Xlsx(IEnumerable<string[]> rows)
    {
        var workbook = new XSSFWorkbook();
        var sheet = workbook.CreateSheet("拍照凭证");
        var bold = workbook.CreateFont();
        bold.IsBold = true;
        var headerStyle = workbook.CreateCellStyle();
        headerStyle.SetFont(bold);
        var header = sheet.CreateRow(0);
        for (var i = 0; i < Header.Length; i++)
        {
            var cell = header.CreateCell(i);
            cell.SetCellValue(Header[i]);
            cell.CellStyle = headerStyle;
        }

        var r = 1;
        foreach (var cells in rows)
        {
            var row = sheet.CreateRow(r++);
            for (var i = 0; i < cells.Length; i++)
            {
                // Text cells throughout: Excel must not turn a student number into 1.2E+10 or drop leading zeros.
                row.CreateCell(i, CellType.String).SetCellValue(cells[i]);
            }
        }

        sheet.CreateFreezePane(0, 1);
        for (var i = 0; i < Header.Length; i++)
        {
            sheet.SetColumnWidth(i, (i == 6 ? 28 : 14) * 256);
        }

        using var stream = new MemoryStream();
        workbook.Write(stream);
        return stream.ToArray();
    }
}
