using System.Globalization;
using NPOI.SS.UserModel;

namespace Capture.ServiceDefaults.Spreadsheets;

/// <summary>
/// Reads the first sheet through NPOI's whole-workbook model. Used for legacy .xls (BIFF, at most 65,536 rows by its
/// format); .xlsx is read by <see cref="XlsxSheetReader"/>, which streams. Kept public so tests and the benchmark can
/// compare the two on the same .xlsx.
/// </summary>
public static class NpoiSheetReader
{
    public static Sheet Read(Stream stream, SheetLimits limits)
    {
        var workbook = WorkbookFactory.Create(stream);
        var sheet = workbook.GetSheetAt(0);
        var formatter = new DataFormatter(CultureInfo.InvariantCulture);
        var builder = new SheetBuilder(limits);
        for (var i = sheet.FirstRowNum; i <= sheet.LastRowNum; i++)
        {
            var row = sheet.GetRow(i);
            if (row is null)
            {
                continue;
            }

            var width = builder.Width ?? Math.Max((int)row.LastCellNum, 0);
            var cells = new string?[width];
            var lossy = new List<int>();
            for (var c = 0; c < width && c < row.LastCellNum; c++)
            {
                var cell = row.GetCell(c);
                if (cell is null)
                {
                    continue;
                }

                var (text, lostDigits) = CellText(cell, formatter);
                cells[c] = text;
                if (lostDigits)
                {
                    lossy.Add(c);
                }
            }

            builder.Add(i + 1, cells, lossy);
        }

        return builder.Build();
    }

    /// <summary>The text of a cell as the person saw it; for a formula, the value Excel saved with it (never evaluated here).</summary>
    private static (string? Text, bool LostDigits) CellText(ICell cell, DataFormatter formatter)
    {
        var type = cell.CellType == CellType.Formula ? cell.CachedFormulaResultType : cell.CellType;
        switch (type)
        {
            case CellType.Numeric when cell.CellType == CellType.Formula || !DateUtil.IsCellDateFormatted(cell):
                var (text, lost) = SheetBuilder.NumberText(cell.NumericCellValue);
                return (text, lost);
            case CellType.Numeric:
                return (formatter.FormatCellValue(cell)?.Trim(), false);
            case CellType.String:
                return (cell.StringCellValue?.Trim(), false);
            case CellType.Boolean:
                return (cell.BooleanCellValue ? "TRUE" : "FALSE", false);
            case CellType.Error:
                return ("#ERROR", false);
            default:
                return (null, false);
        }
    }
}
