using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using NPOI.SS.UserModel;

namespace Capture.ServiceDefaults.Spreadsheets;

/// <summary>
/// Reads the first sheet of an .xlsx with a forward-only <see cref="XmlReader"/> over its parts (the workbook, its
/// relationships, the shared strings, the styles and the sheet), instead of NPOI's model of the whole workbook: memory
/// is what the sheet's values take, not a tree of objects per cell. Cells read as NPOI's reader read them (see
/// <see cref="NpoiSheetReader"/>, kept for .xls): text trimmed; a formula as the value Excel saved with it, never
/// evaluated; whole numbers with all their digits, flagged when Excel lost some; dates as NPOI's formatter writes them;
/// TRUE/FALSE; errors as #ERROR.
/// </summary>
internal static class XlsxSheetReader
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,
        CloseInput = true,
    };

    public static Sheet Read(ZipArchive zip, SheetLimits limits)
    {
        var parts = zip.Entries.GroupBy(e => e.FullName, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var workbookPath = Relationships(parts, "").FirstOrDefault(r => r.Type.EndsWith("/officeDocument", StringComparison.Ordinal)).Target ?? "xl/workbook.xml";
        var (sheetId, date1904) = FirstSheet(Part(parts, workbookPath));
        var workbookRelations = Relationships(parts, workbookPath);
        var sheetPath = workbookRelations.FirstOrDefault(r => r.Id == sheetId).Target
            ?? throw new InvalidDataException("The workbook names no first sheet.");
        var stringsPath = workbookRelations.FirstOrDefault(r => r.Type.EndsWith("/sharedStrings", StringComparison.Ordinal)).Target;
        var stylesPath = workbookRelations.FirstOrDefault(r => r.Type.EndsWith("/styles", StringComparison.Ordinal)).Target;

        var strings = stringsPath is not null && parts.ContainsKey(stringsPath) ? SharedStrings(Part(parts, stringsPath)) : [];
        var styles = stylesPath is not null && parts.ContainsKey(stylesPath) ? Styles(Part(parts, stylesPath)) : new CellFormats([], []);
        return Rows(Part(parts, sheetPath), strings, styles, date1904, limits);
    }

    private static ZipArchiveEntry Part(Dictionary<string, ZipArchiveEntry> parts, string path) =>
        parts.TryGetValue(path, out var entry) ? entry : throw new InvalidDataException($"The workbook has no part {path}.");

    private static XmlReader Open(ZipArchiveEntry entry) => XmlReader.Create(entry.Open(), Settings);

    /// <summary>The relationships of a part (<c>""</c> for the package): id, type and target path from the package root.</summary>
    private static List<(string Id, string Type, string? Target)> Relationships(Dictionary<string, ZipArchiveEntry> parts, string partPath)
    {
        var directory = partPath.Contains('/') ? partPath[..partPath.LastIndexOf('/')] : "";
        var file = partPath[(partPath.LastIndexOf('/') + 1)..];
        var relsPath = (directory.Length > 0 ? directory + "/" : "") + "_rels/" + file + ".rels";
        var list = new List<(string, string, string?)>();
        if (!parts.TryGetValue(relsPath, out var entry))
        {
            return list;
        }

        using var xml = Open(entry);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "Relationship" && xml.GetAttribute("TargetMode") != "External")
            {
                list.Add((xml.GetAttribute("Id") ?? "", xml.GetAttribute("Type") ?? "", Resolve(directory, xml.GetAttribute("Target") ?? "")));
            }
        }

        return list;
    }

    private static string Resolve(string directory, string target)
    {
        var path = target.StartsWith('/') ? target[1..] : (directory.Length > 0 ? directory + "/" : "") + target;
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else if (segment is not ("" or "."))
            {
                segments.Add(segment);
            }
        }

        return string.Join('/', segments);
    }

    /// <summary>The relationship id of the workbook's first sheet (NPOI's sheet 0), and whether dates count from 1904.</summary>
    private static (string? Id, bool Date1904) FirstSheet(ZipArchiveEntry workbook)
    {
        var date1904 = false;
        using var xml = Open(workbook);
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (xml.LocalName == "workbookPr")
            {
                date1904 = xml.GetAttribute("date1904") is "1" or "true";
            }
            else if (xml.LocalName == "sheet")
            {
                for (var i = 0; i < xml.AttributeCount; i++)
                {
                    xml.MoveToAttribute(i);
                    if (xml.LocalName == "id" && xml.NamespaceURI.EndsWith("relationships", StringComparison.Ordinal))
                    {
                        return (xml.Value, date1904);
                    }
                }

                return (null, date1904);
            }
        }

        return (null, date1904);
    }

    /// <summary>The shared strings: each item's text runs joined, phonetic guides (rPh) left out, as Excel shows it.</summary>
    private static List<string> SharedStrings(ZipArchiveEntry entry)
    {
        var list = new List<string>();
        using var xml = Open(entry);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "si")
            {
                list.Add(RichText(xml));
            }
        }

        return list;
    }

    /// <summary>The text of an element holding <c>t</c> runs (si, is), positioned on it; leaves the reader on its end.</summary>
    private static string RichText(XmlReader xml)
    {
        if (xml.IsEmptyElement)
        {
            return "";
        }

        var text = new StringBuilder();
        var depth = xml.Depth;
        var phonetic = -1;
        while (xml.Read() && xml.Depth > depth)
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "rPh" && !xml.IsEmptyElement)
            {
                phonetic = xml.Depth;
            }
            else if (xml.NodeType == XmlNodeType.EndElement && xml.Depth == phonetic)
            {
                phonetic = -1;
            }
            else if ((xml.NodeType is XmlNodeType.Text or XmlNodeType.SignificantWhitespace or XmlNodeType.Whitespace or XmlNodeType.CDATA)
                     && phonetic < 0)
            {
                text.Append(xml.Value);
            }
        }

        return text.ToString();
    }

    /// <summary>Per cell style index, its number format; the custom formats' codes.</summary>
    private sealed record CellFormats(List<short> FormatOfStyle, Dictionary<short, string> Codes);

    private static CellFormats Styles(ZipArchiveEntry entry)
    {
        var formats = new List<short>();
        var codes = new Dictionary<short, string>();
        using var xml = Open(entry);
        var inCellXfs = false;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element)
            {
                switch (xml.LocalName)
                {
                    case "numFmt" when short.TryParse(xml.GetAttribute("numFmtId"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var id):
                        codes[id] = xml.GetAttribute("formatCode") ?? "";
                        break;
                    case "cellXfs":
                        inCellXfs = !xml.IsEmptyElement;
                        break;
                    case "xf" when inCellXfs:
                        formats.Add(short.TryParse(xml.GetAttribute("numFmtId"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var format) ? format : (short)0);
                        break;
                }
            }
            else if (xml.NodeType == XmlNodeType.EndElement && xml.LocalName == "cellXfs")
            {
                inCellXfs = false;
            }
        }

        return new CellFormats(formats, codes);
    }

    private static Sheet Rows(ZipArchiveEntry entry, List<string> strings, CellFormats styles, bool date1904, SheetLimits limits)
    {
        var builder = new SheetBuilder(limits);
        var formatter = new DataFormatter(CultureInfo.InvariantCulture);
        var row = new Dictionary<int, string?>();
        var lossy = new List<int>();
        var line = 0;
        using var xml = Open(entry);
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            if (xml.LocalName == "row")
            {
                line = int.TryParse(xml.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var r) ? r : line + 1;
                row.Clear();
                lossy.Clear();
                if (!xml.IsEmptyElement)
                {
                    ReadRow(xml, row, lossy, builder.Width, strings, styles, date1904, formatter);
                }

                var width = builder.Width ?? (row.Count == 0 ? 0 : row.Keys.Max() + 1);
                var values = new string?[width];
                foreach (var (column, text) in row)
                {
                    if (column < width)
                    {
                        values[column] = text;
                    }
                }

                builder.Add(line, values, lossy);
            }
        }

        return builder.Build();
    }

    /// <summary>The cells of one row (positioned on its element), only those left of <paramref name="width"/> once the header is known.</summary>
    private static void ReadRow(
        XmlReader xml, Dictionary<int, string?> row, List<int> lossy, int? width, List<string> strings, CellFormats styles, bool date1904, DataFormatter formatter)
    {
        var depth = xml.Depth;
        var column = -1;
        while (xml.Read() && xml.Depth > depth)
        {
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "c")
            {
                continue;
            }

            column = Column(xml.GetAttribute("r")) ?? column + 1;
            var type = xml.GetAttribute("t") ?? "n";
            var style = int.TryParse(xml.GetAttribute("s"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
            string? value = null;
            string? inline = null;
            var formula = false;
            if (!xml.IsEmptyElement)
            {
                var cellDepth = xml.Depth;
                xml.Read();
                while (!xml.EOF && !(xml.NodeType == XmlNodeType.EndElement && xml.Depth == cellDepth))
                {
                    if (xml.NodeType != XmlNodeType.Element)
                    {
                        xml.Read();
                        continue;
                    }

                    switch (xml.LocalName)
                    {
                        case "v":
                            value = xml.ReadElementContentAsString();
                            break;
                        case "is":
                            inline = RichText(xml);
                            xml.Read();
                            break;
                        case "f":
                            formula = true;
                            xml.Skip();
                            break;
                        default:
                            xml.Skip();
                            break;
                    }
                }
            }

            if (width is { } w && column >= w)
            {
                continue;
            }

            var (text, lost) = CellText(type, value, inline, formula, style, strings, styles, date1904, formatter);
            row[column] = text;
            if (lost)
            {
                lossy.Add(column);
            }
        }
    }

    private static (string? Text, bool LostDigits) CellText(
        string type, string? value, string? inline, bool formula, int style, List<string> strings, CellFormats styles, bool date1904, DataFormatter formatter)
    {
        switch (type)
        {
            case "s":
                return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < strings.Count
                    ? (strings[index].Trim(), false)
                    : throw new InvalidDataException("A cell names a shared string the workbook does not have.");
            case "inlineStr":
                return (inline?.Trim(), false);
            case "str":
            case "d":
                return (value?.Trim(), false);
            case "b":
                return (value?.Trim() == "1" ? "TRUE" : "FALSE", false);
            case "e":
                return ("#ERROR", false);
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            return (null, false);
        }

        var number = double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!formula && style < styles.FormatOfStyle.Count)
        {
            var format = styles.FormatOfStyle[style];
            var code = styles.Codes.TryGetValue(format, out var custom) ? custom : BuiltinFormats.GetBuiltinFormat(format);
            if (code is not null && DateUtil.IsADateFormat(format, code) && DateUtil.IsValidExcelDate(number))
            {
                return (formatter.FormatRawCellContents(number, format, code, date1904)?.Trim(), false);
            }
        }

        return SheetBuilder.NumberText(number);
    }

    /// <summary>The zero-based column of a reference like <c>AB12</c>; null when there is none.</summary>
    private static int? Column(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return null;
        }

        var column = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            if (c is >= 'A' and <= 'Z')
            {
                column = (column * 26) + (c - 'A' + 1);
                letters++;
            }
            else if (c is >= 'a' and <= 'z')
            {
                column = (column * 26) + (c - 'a' + 1);
                letters++;
            }
            else
            {
                break;
            }

            if (letters > 3)
            {
                throw new InvalidDataException($"Cell reference {reference} is past column XFD.");
            }
        }

        return letters == 0 ? null : column - 1;
    }
}
