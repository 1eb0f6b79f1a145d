using System.Text;
using Sylvan.Data.Csv;

namespace Capture.ServiceDefaults.Spreadsheets;

/// <summary>
/// CSV by Sylvan.Data.Csv (RFC 4180: quoted commas, doubled quotes, quoted line breaks), read from the stream record by
/// record: a line starting with <c>#</c> is data, not a comment, and each row keeps the record's line as Excel numbers
/// rows. A record longer than the limit (an unclosed quote) is refused with its line.
/// </summary>
internal static class CsvSheetReader
{
    public static Sheet Read(Stream stream, Encoding encoding, SheetLimits limits)
    {
        var options = new CsvDataReaderOptions
        {
            HasHeaders = false,
            Delimiter = ',',
            Quote = '"',
            Escape = '"',

            // Sylvan skips lines starting with '#' as comments by default; a roster's first column may well be "#".
            Comment = '\0',
            BufferSize = limits.MaxRecordChars,
            MaxBufferSize = limits.MaxRecordChars,
        };
        List<string>? headers = null;
        var rows = new List<(int, string?[])>();
        var cells = 0L;
        using var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024, leaveOpen: true);
        using var reader = CsvDataReader.Create(text, options);
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
                throw new SheetRefusedException($"Line {reader.RowNumber} of the file is longer than {limits.MaxRecordChars} characters (a quote that is never closed, perhaps): check that line, save the file again and upload it again.");
            }

            var count = reader.RowFieldCount;
            if (headers is null && count > limits.MaxColumns)
            {
                throw new SheetRefusedException($"The header row has {count} columns; a {limits.Document} has at most {limits.MaxColumns}: delete the columns that are not part of the {limits.Document}.");
            }

            var fields = new string?[headers?.Count ?? count];
            for (var i = 0; i < fields.Length && i < count; i++)
            {
                fields[i] = reader.GetString(i);
            }

            var filled = fields.Count(f => !string.IsNullOrWhiteSpace(f));
            if (filled == 0)
            {
                continue;
            }

            if (headers is null)
            {
                headers = [.. fields.Select(f => f ?? "")];
                continue;
            }

            if (rows.Count == limits.MaxRows)
            {
                throw new SheetRefusedException($"The file has more than {limits.MaxRows} {limits.RowNoun}; at most {limits.MaxRows} are accepted at once: split it.");
            }

            cells += filled;
            if (cells > limits.MaxCells)
            {
                throw new SheetRefusedException($"The file has more than {limits.MaxCells} filled cells, far more than a {limits.Document} needs: delete the columns and rows that are not part of the {limits.Document}.");
            }

            rows.Add((reader.RowNumber, fields));
        }

        return new Sheet(headers ?? [], rows);
    }
}
