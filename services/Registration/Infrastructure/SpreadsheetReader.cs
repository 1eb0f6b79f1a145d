using System.IO.Compression;
using System.Text;
using NPOI.SS.UserModel;
using Sylvan.Data.Csv;

namespace Capture.Registration.Infrastructure;

/// <summary>
/// A sheet's header row and data rows, each with the line number a person sees in Excel or a text editor, and the
/// cells that Excel held as numbers too long to keep (more than 15 digits: an 18-digit ID number typed as a number).
/// </summary>
public sealed record Sheet(IReadOnlyList<string> Headers, IReadOnlyList<(int Line, string?[] Cells)> Rows, IReadOnlySet<(int Line, int Column)> StoredAsNumbers)
{
    public Sheet(IReadOnlyList<string> headers, IReadOnlyList<(int Line, string?[] Cells)> rows)
        : this(headers, rows, new HashSet<(int, int)>())
    {
    }
}

/// <summary>
/// Reads what colleges send: CSV in UTF-8 (with or without BOM) or GBK/GB18030 (Excel's "CSV" on a Chinese Windows),
/// .xlsx, and legacy .xls. The format is recognized from the bytes, not trusted from the file name. A hostile file
/// cannot make it work without bound: a workbook that unpacks to more than <see cref="MaxUnpackedBytes"/> (a zip bomb),
/// a header row wider than <see cref="MaxColumns"/> (a 16,384-column sheet), more than
/// <see cref="RosterImporter.MaxRows"/> data rows or a CSV record longer than <see cref="MaxRecordChars"/> is refused
/// with a message, before or while reading. Formulas are never evaluated: a formula cell reads as the value Excel saved
/// with it, what the person saw.
/// </summary>
public static class SpreadsheetReader
{
    public const int MaxColumns = 256;
    public const long MaxUnpackedBytes = 64L * 1024 * 1024;
    public const int MaxZipEntries = 1000;
    public const int MaxRecordChars = 64 * 1024;

    /// <summary>Excel keeps 15 significant digits; a whole number from 10^15 up has lost digits.</summary>
    private const double FirstLossyNumber = 1e15;

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
            if (content.AsSpan().StartsWith(ZipMagic))
            {
                CheckUnpackedSize(content);
                return (ReadWorkbook(content), null);
            }

            if (content.AsSpan().StartsWith(OleMagic))
            {
                return (ReadWorkbook(content), null);
            }

            return (ReadCsv(DecodeText(content)), null);
        }
        catch (SheetRefusedException e)
        {
            return (null, e.Message);
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

    /// <summary>
    /// Unpacks every part of an .xlsx, counting, before NPOI sees it: the sizes a zip declares can lie, the bytes
    /// that come out cannot.
    /// </summary>
    private static void CheckUnpackedSize(byte[] content)
    {
        using var zip = new ZipArchive(new MemoryStream(content, writable: false), ZipArchiveMode.Read);
        if (zip.Entries.Count > MaxZipEntries)
        {
            throw new SheetRefusedException($"The workbook has {zip.Entries.Count} parts; a roster has a few dozen at most: save the roster alone as a new .xlsx and upload that.");
        }

        var total = 0L;
        var buffer = new byte[81920];
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                total += read;
                if (total > MaxUnpackedBytes)
                {
                    throw new SheetRefusedException($"The workbook unpacks to more than {MaxUnpackedBytes / 1024 / 1024} MB, far more than a roster of {RosterImporter.MaxRows} students: save the roster alone (values only, no images) as a new .xlsx, or as CSV UTF-8.");
                }
            }
        }
    }

    private static Sheet ReadWorkbook(byte[] content)
    {
        using var stream = new MemoryStream(content, writable: false);
        var workbook = WorkbookFactory.Create(stream);
        var sheet = workbook.GetSheetAt(0);
        var formatter = new DataFormatter(System.Globalization.CultureInfo.InvariantCulture);
        List<string>? headers = null;
        var rows = new List<(int, string?[])>();
        var numbers = new HashSet<(int, int)>();
        for (var i = sheet.FirstRowNum; i <= sheet.LastRowNum; i++)
        {
            var row = sheet.GetRow(i);
            if (row is null)
            {
                continue;
            }

            var width = headers?.Count ?? Math.Max((int)row.LastCellNum, 0);
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

            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (headers is null)
            {
                // Excel often formats whole rows, so empty cells can run to column XFD: the header ends at its last name.
                var used = Array.FindLastIndex(cells, c => !string.IsNullOrWhiteSpace(c)) + 1;
                if (used > MaxColumns)
                {
                    throw new SheetRefusedException($"The header row has {used} columns; a roster has at most {MaxColumns}: delete the columns that are not part of the roster.");
                }

                headers = [.. cells.Take(used).Select(c => c ?? "")];
                continue;
            }

            if (rows.Count == RosterImporter.MaxRows)
            {
                throw new SheetRefusedException($"The sheet has more than {RosterImporter.MaxRows} students; at most {RosterImporter.MaxRows} are accepted at once: split it.");
            }

            rows.Add((i + 1, cells));
            foreach (var c in lossy)
            {
                numbers.Add((i + 1, c));
            }
        }

        return new Sheet(headers ?? [], rows, numbers);
    }

    /// <summary>The text of a cell as the person saw it; for a formula, the value Excel saved with it (never evaluated here).</summary>
    private static (string? Text, bool LostDigits) CellText(ICell cell, DataFormatter formatter)
    {
        var type = cell.CellType == CellType.Formula ? cell.CachedFormulaResultType : cell.CellType;
        switch (type)
        {
            case CellType.Numeric when cell.CellType == CellType.Formula || !DateUtil.IsCellDateFormatted(cell):
                // Whole numbers keep all their digits (a 学号 typed as a number); from 10^15 up Excel has lost some.
                var value = cell.NumericCellValue;
                var whole = value == Math.Floor(value);
                if (whole && Math.Abs(value) < FirstLossyNumber)
                {
                    return (((long)value).ToString(System.Globalization.CultureInfo.InvariantCulture), false);
                }

                return (value.ToString("R", System.Globalization.CultureInfo.InvariantCulture), whole);
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

    private static Sheet ReadCsv(string text)
    {
        var options = new CsvDataReaderOptions
        {
            HasHeaders = false,
            Delimiter = ',',
            Quote = '"',
            Escape = '"',

            // Sylvan skips lines starting with '#' as comments by default; a roster's first column may well be "#".
            Comment = '\0',
            BufferSize = MaxRecordChars,
            MaxBufferSize = MaxRecordChars,
        };
        List<string>? headers = null;
        var rows = new List<(int, string?[])>();
        using var reader = CsvDataReader.Create(new StringReader(text), options);
        while (true)
        {
            try
            {
                if (!reader.Read())
                {
                    break;
                }
            }
            catch (CsvRecordTooLargeException)
            {
                throw new SheetRefusedException($"Line {reader.RowNumber + 1} of the file is longer than {MaxRecordChars} characters (a quote that is never closed, perhaps): check that line, save the file again and upload it again.");
            }

            var count = reader.RowFieldCount;
            if (headers is null && count > MaxColumns)
            {
                throw new SheetRefusedException($"The header row has {count} columns; a roster has at most {MaxColumns}: delete the columns that are not part of the roster.");
            }

            var fields = new string?[headers?.Count ?? count];
            for (var i = 0; i < fields.Length && i < count; i++)
            {
                fields[i] = reader.GetString(i);
            }

            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            if (headers is null)
            {
                headers = [.. fields.Select(f => f ?? "")];
                continue;
            }

            if (rows.Count == RosterImporter.MaxRows)
            {
                throw new SheetRefusedException($"The file has more than {RosterImporter.MaxRows} students; at most {RosterImporter.MaxRows} are accepted at once: split it.");
            }

            rows.Add((reader.RowNumber, fields));
        }

        return new Sheet(headers ?? [], rows);
    }

    private sealed class SheetRefusedException(string message) : Exception(message);
}
