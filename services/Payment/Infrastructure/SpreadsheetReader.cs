using System.Text;
using NPOI.SS.UserModel;

namespace Capture.Payment.Infrastructure;

/// <summary>A sheet's header row and data rows, each with the line number a person sees in Excel or a text editor.</summary>
public sealed record Sheet(IReadOnlyList<string> Headers, IReadOnlyList<(int Line, string?[] Cells)> Rows);

/// <summary>
/// Reads what colleges send: CSV in UTF-8 (with or without BOM) or GBK/GB18030 (Excel's "CSV" on a Chinese Windows),
/// .xlsx, and legacy .xls. The format is recognized from the bytes, not trusted from the file name.
/// </summary>
public static class SpreadsheetReader
{
    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] OleMagic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    static SpreadsheetReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The sheet, or a message saying why the file cannot be read.</summary>
    public static (Sheet? Sheet, string? Error) Read(byte[] content)
    {
        if (content.Length == 0)
        {
            return (null, "The file is empty.");
        }

        try
        {
            if (content.AsSpan().StartsWith(ZipMagic) || content.AsSpan().StartsWith(OleMagic))
            {
                return (ReadWorkbook(content), null);
            }

            return (ReadCsv(DecodeText(content)), null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return (null, "The file could not be read as CSV, .xlsx or .xls: save it again from Excel (as .xlsx, or CSV UTF-8) and upload it again.");
        }
    }

    /// <summary>UTF-8 when the bytes are valid UTF-8 (BOM or not), else GB18030, which reads GBK and GB2312.</summary>
    public static string DecodeText(byte[] content)
    {
        var span = content.AsSpan();
        if (span.StartsWith(Encoding.UTF8.Preamble))
        {
            return Encoding.UTF8.GetString(span[Encoding.UTF8.Preamble.Length..]);
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding("GB18030").GetString(content);
        }
    }

    private static Sheet ReadWorkbook(byte[] content)
    {
        using var stream = new MemoryStream(content, writable: false);
        var workbook = WorkbookFactory.Create(stream);
        var sheet = workbook.GetSheetAt(0);
        var formatter = new DataFormatter(System.Globalization.CultureInfo.InvariantCulture);
        var evaluator = workbook.GetCreationHelper().CreateFormulaEvaluator();
        List<string>? headers = null;
        var rows = new List<(int, string?[])>();
        for (var i = sheet.FirstRowNum; i <= sheet.LastRowNum; i++)
        {
            var row = sheet.GetRow(i);
            if (row is null)
            {
                continue;
            }

            var width = Math.Max(row.LastCellNum, (short)0);
            var cells = new string?[headers?.Count ?? width];
            for (var c = 0; c < cells.Length && c < width; c++)
            {
                var cell = row.GetCell(c);
                cells[c] = cell is null ? null : CellText(cell, formatter, evaluator);
            }

            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (headers is null)
            {
                headers = [.. cells.Select(c => c ?? "")];
                continue;
            }

            rows.Add((i + 1, cells));
        }

        return new Sheet(headers ?? [], rows);
    }

    private static string? CellText(ICell cell, DataFormatter formatter, IFormulaEvaluator evaluator)
    {
        // Numbers are read as they show, except that whole numbers keep all their digits (a 学号 typed as a number).
        if (cell.CellType == CellType.Numeric && !DateUtil.IsCellDateFormatted(cell))
        {
            var value = cell.NumericCellValue;
            return value == Math.Floor(value) && Math.Abs(value) < 1e15
                ? ((long)value).ToString(System.Globalization.CultureInfo.InvariantCulture)
                : value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }

        return formatter.FormatCellValue(cell, evaluator)?.Trim();
    }

    private static Sheet ReadCsv(string text)
    {
        var records = ParseCsv(text);
        if (records.Count == 0)
        {
            return new Sheet([], []);
        }

        var headers = records[0].Fields;
        var rows = records.Skip(1)
            .Where(r => r.Fields.Any(f => !string.IsNullOrWhiteSpace(f)))
            .Select(r => (r.Line, r.Fields.Cast<string?>().ToArray()))
            .ToList();
        return new Sheet(headers, rows);
    }

    /// <summary>RFC 4180: commas, quoted fields with doubled quotes and line breaks inside, CRLF or LF; each record with its first line number.</summary>
    private static List<(int Line, List<string> Fields)> ParseCsv(string text)
    {
        var records = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    field.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    records.Add((recordLine, fields));
                    fields = [];
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields));
        }

        return records;
    }
}
