using System.Text;
using NPOI.SS.UserModel;
using NPOI.XSSF.UserModel;

namespace Capture.Payment.Infrastructure;

/// <summary>
/// The lists Payment hands to people and to finance: CSV in UTF-8 with a BOM (so Excel opens Chinese names), every field
/// through the shared formula-safe rule, or .xlsx with a bold, frozen header and text cells only (a student number keeps
/// its digits, and a string cell is never evaluated as a formula).
/// </summary>
public static class SheetExport
{
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static byte[] Csv(IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        var csv = new StringBuilder(string.Join(',', header.Select(Apis.Csv.Field))).Append("\r\n");
        foreach (var row in rows)
        {
            csv.Append(string.Join(',', row.Select(Apis.Csv.Field))).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    /// <param name="widths">Column widths in characters; 14 for a column not named.</param>
    public static byte[] Xlsx(string sheetName, IReadOnlyList<string> header, IEnumerable<string[]> rows, IReadOnlyDictionary<int, int>? widths = null)
    {
        var workbook = new XSSFWorkbook();
        var sheet = workbook.CreateSheet(sheetName);
        var bold = workbook.CreateFont();
        bold.IsBold = true;
        var headerStyle = workbook.CreateCellStyle();
        headerStyle.SetFont(bold);
        var top = sheet.CreateRow(0);
        for (var i = 0; i < header.Count; i++)
        {
            var cell = top.CreateCell(i, CellType.String);
            cell.SetCellValue(header[i]);
            cell.CellStyle = headerStyle;
        }

        var r = 1;
        foreach (var cells in rows)
        {
            var row = sheet.CreateRow(r++);
            for (var i = 0; i < cells.Length; i++)
            {
                row.CreateCell(i, CellType.String).SetCellValue(cells[i]);
            }
        }

        sheet.CreateFreezePane(0, 1);
        for (var i = 0; i < header.Count; i++)
        {
            sheet.SetColumnWidth(i, (widths?.GetValueOrDefault(i, 14) ?? 14) * 256);
        }

        using var stream = new MemoryStream();
        workbook.Write(stream);
        return stream.ToArray();
    }
}
