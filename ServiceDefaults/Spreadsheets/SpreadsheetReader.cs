using System.IO.Compression;
using System.Text;

namespace Capture.ServiceDefaults.Spreadsheets;

/// <summary>
/// Reads what colleges and finance offices send: CSV in UTF-8 (with or without BOM) or GBK/GB18030 (Excel's "CSV" on a
/// Chinese Windows), .xlsx, and legacy .xls. The format is recognized from the bytes, not trusted from the file name. A
/// hostile file cannot make it work without bound (<see cref="SheetLimits"/>): an .xlsx that unpacks to more than
/// <see cref="SheetLimits.MaxUnpackedBytes"/> or has more than <see cref="SheetLimits.MaxZipEntries"/> parts (a zip
/// bomb: every part is unpacked and counted before any is parsed), a header row wider than
/// <see cref="SheetLimits.MaxColumns"/> (a 16,384-column sheet), more data rows than <see cref="SheetLimits.MaxRows"/>
/// or filled cells than <see cref="SheetLimits.MaxCells"/>, or a CSV record longer than
/// <see cref="SheetLimits.MaxRecordChars"/> is refused with a message while reading. An .xlsx is read as a stream of
/// XML (<see cref="XlsxSheetReader"/>), a CSV record by record; only .xls goes through NPOI's whole-workbook model.
/// Formulas are never evaluated: a formula cell reads as the value Excel saved with it, what the person saw.
/// </summary>
public static class SpreadsheetReader
{
    private static readonly byte[] ZipMagic = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] OleMagic = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    static SpreadsheetReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The sheet, or a message saying why the file cannot be read.</summary>
    public static (Sheet? Sheet, string? Error) Read(byte[] content, SheetLimits? limits = null)
    {
        using var stream = new MemoryStream(content, writable: false);
        return Read(stream, limits);
    }

    /// <summary>
    /// The sheet from a seekable stream (an uploaded form file, which ASP.NET Core buffers to a temporary file past
    /// 64 KB), or a message saying why it cannot be read.
    /// </summary>
    public static (Sheet? Sheet, string? Error) Read(Stream content, SheetLimits? limits = null)
    {
        limits ??= SheetLimits.Default;
        if (!content.CanSeek)
        {
            throw new ArgumentException("The spreadsheet reader needs a seekable stream (buffer the upload first).", nameof(content));
        }

        if (content.Length == 0)
        {
            return (null, "The file is empty.");
        }

        try
        {
            Span<byte> head = stackalloc byte[8];
            var headLength = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
            content.Position = 0;
            head = head[..headLength];
            if (head.StartsWith(ZipMagic))
            {
                using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
                CheckUnpackedSize(zip, limits);
                return (XlsxSheetReader.Read(zip, limits), null);
            }

            if (head.StartsWith(OleMagic))
            {
                return (NpoiSheetReader.Read(content, limits), null);
            }

            return (CsvSheetReader.Read(content, DetectEncoding(content), limits), null);
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
        using var stream = new MemoryStream(content, writable: false);
        using var reader = new StreamReader(stream, DetectEncoding(stream), detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>Reads the stream once to tell valid UTF-8 from GB18030, and rewinds it.</summary>
    private static Encoding DetectEncoding(Stream stream)
    {
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var bytes = new byte[64 * 1024];
        var chars = new char[bytes.Length + 4];
        try
        {
            int read;
            while ((read = stream.Read(bytes, 0, bytes.Length)) > 0)
            {
                decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            }

            decoder.GetChars([], 0, 0, chars, 0, flush: true);
            return new UTF8Encoding(false);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding("GB18030");
        }
        finally
        {
            stream.Position = 0;
        }
    }

    /// <summary>
    /// Unpacks every part of an .xlsx, counting, before any is parsed: the sizes a zip declares can lie, the bytes that
    /// come out cannot.
    /// </summary>
    private static void CheckUnpackedSize(ZipArchive zip, SheetLimits limits)
    {
        if (zip.Entries.Count > limits.MaxZipEntries)
        {
            throw new SheetRefusedException($"The workbook has {zip.Entries.Count} parts; a {limits.Document} has a few dozen at most: save the {limits.Document} alone as a new .xlsx and upload that.");
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
                if (total > limits.MaxUnpackedBytes)
                {
                    throw new SheetRefusedException($"The workbook unpacks to more than {limits.MaxUnpackedBytes / 1024 / 1024} MB, far more than a {limits.Document} of {limits.MaxRows} {limits.RowNoun}: save the {limits.Document} alone (values only, no images) as a new .xlsx, or as CSV UTF-8.");
                }
            }
        }
    }
}
