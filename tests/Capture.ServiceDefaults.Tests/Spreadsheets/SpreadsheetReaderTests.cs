using System.Globalization;
using System.IO.Compression;
using System.Text;
using Capture.ServiceDefaults.Spreadsheets;
using NPOI.HSSF.UserModel;
using NPOI.SS.UserModel;
using NPOI.XSSF.UserModel;

namespace Capture.ServiceDefaults.Tests.Spreadsheets;

/// <summary>
/// The shared spreadsheet reader (Registration's rosters, Payment's card-batch results): the streaming .xlsx reader
/// reads every kind of cell as NPOI's model does, hand-written workbooks (inline and rich strings, another sheet order,
/// 1904 dates) read as Excel shows them, and every limit refuses with a message while reading.
/// </summary>
public sealed class SpreadsheetReaderTests
{
    private static readonly SheetLimits Roster = SheetLimits.Default with { MaxRows = 20_000, Document = "roster", RowNoun = "students" };

    private static byte[] Bytes(IWorkbook workbook)
    {
        using var stream = new MemoryStream();
        workbook.Write(stream);
        return stream.ToArray();
    }

    private static Sheet Read(byte[] content, SheetLimits? limits = null)
    {
        var (sheet, error) = SpreadsheetReader.Read(content, limits ?? Roster);
        Assert.True(sheet is not null, error);
        return sheet;
    }

    private static string Error(byte[] content, SheetLimits? limits = null)
    {
        var (sheet, error) = SpreadsheetReader.Read(content, limits ?? Roster);
        Assert.Null(sheet);
        return error!;
    }

    /// <summary>A workbook with every kind of cell a secretary's sheet has, in NPOI's own words.</summary>
    private static byte[] EveryKindOfCell(Func<IWorkbook> create)
    {
        var workbook = create();
        var sheet = workbook.CreateSheet("名单");
        var date = workbook.CreateCellStyle();
        date.DataFormat = 14;
        var custom = workbook.CreateCellStyle();
        custom.DataFormat = workbook.CreateDataFormat().GetFormat("yyyy/m/d");
        var header = sheet.CreateRow(0);
        string[] names = ["学号", "姓名", "身份证号", "金额", "生日", "入学", "公式", "数", "是", "错"];
        for (var i = 0; i < names.Length; i++)
        {
            header.CreateCell(i).SetCellValue(names[i]);
        }

        // Formatted, empty cells to the right of the header do not widen it.
        header.CreateCell(200).CellStyle = date;
        for (var r = 1; r <= 30; r++)
        {
            if (r == 5)
            {
                continue; // a missing row
            }

            var row = sheet.CreateRow(r + (r > 20 ? 3 : 0));
            if (r == 7)
            {
                row.CreateCell(3).CellStyle = date; // formatted, no values: skipped
                continue;
            }

            row.CreateCell(0).SetCellValue(220220000 + r); // a 学号 typed as a number
            row.CreateCell(1).SetCellValue($"  王伟{r} ");
            row.CreateCell(2).SetCellValue(r % 3 == 0 ? 110105194912310021d + r : 0); // 18 digits: Excel lost some
            row.CreateCell(3).SetCellValue(r * 12.5);
            var birthday = row.CreateCell(4);
            birthday.SetCellValue(new DateTime(1990, 1, 1).AddDays(r * 37));
            birthday.CellStyle = date;
            var enrolled = row.CreateCell(5);
            enrolled.SetCellValue(new DateTime(2020, 9, 1).AddDays(r));
            enrolled.CellStyle = custom;
            var formula = row.CreateCell(6);
            formula.SetCellFormula("B" + (r + 1));
            formula.SetCellValue("王伟" + r);
            var numeric = row.CreateCell(7);
            numeric.SetCellFormula("1+1");
            numeric.SetCellValue(2 + r);
            numeric.CellStyle = date; // a formula's number is never formatted as a date
            row.CreateCell(8).SetCellValue(r % 2 == 0);
            row.CreateCell(9).SetCellErrorValue(FormulaError.DIV0.Code);
            row.CreateCell(12).SetCellValue("beyond the header");
        }

        return Bytes(workbook);
    }

    [Fact]
    public void The_streaming_xlsx_reader_reads_every_kind_of_cell_as_npois_model_does()
    {
        var content = EveryKindOfCell(() => new XSSFWorkbook());
        var streamed = Read(content);
        var model = NpoiSheetReader.Read(new MemoryStream(content), Roster);

        Assert.Equal(model.Headers, streamed.Headers);
        Assert.Equal(10, streamed.Headers.Count);
        Assert.Equal(model.Rows.Select(r => r.Line), streamed.Rows.Select(r => r.Line));
        for (var i = 0; i < model.Rows.Count; i++)
        {
            Assert.Equal(model.Rows[i].Cells, streamed.Rows[i].Cells);
        }

        Assert.Equal(model.StoredAsNumbers.Order(), streamed.StoredAsNumbers.Order());
        Assert.NotEmpty(streamed.StoredAsNumbers);
        var first = streamed.Rows[0];
        Assert.Equal((2, "220220001", "王伟1", "FALSE", "#ERROR", "3"),
            (first.Line, first.Cells[0], first.Cells[1], first.Cells[8], first.Cells[9], first.Cells[7]));
        Assert.Equal(28, streamed.Rows.Count);
        Assert.Equal(34, streamed.Rows[^1].Line);
    }

    [Fact]
    public void A_legacy_xls_reads_through_npoi_the_same_way()
    {
        var xls = Read(EveryKindOfCell(() => new HSSFWorkbook()));
        var xlsx = Read(EveryKindOfCell(() => new XSSFWorkbook()));
        Assert.Equal(xlsx.Headers, xls.Headers);
        Assert.Equal(xlsx.Rows.Select(r => (r.Line, string.Join('|', r.Cells))), xls.Rows.Select(r => (r.Line, string.Join('|', r.Cells))));
    }

    /// <summary>An .xlsx written by hand, as other programs write them: parts named freely, found through the relationships.</summary>
    private static byte[] Handwritten(string sheetXml, string? sharedStrings = null, string workbookPr = "", string styles = "")
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, string text)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }

            const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
            const string Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
            Add("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>");
            Add("_rels/.rels", $"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"r1\" Type=\"{Rel}/officeDocument\" Target=\"/book/main.xml\"/></Relationships>");
            Add("book/main.xml", $"<workbook xmlns=\"{Main}\" xmlns:r=\"{Rel}\">{workbookPr}<sheets><sheet name=\"名单\" sheetId=\"2\" r:id=\"rB\"/><sheet name=\"说明\" sheetId=\"1\" r:id=\"rA\"/></sheets></workbook>");
            Add("book/_rels/main.xml.rels", "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + $"<Relationship Id=\"rA\" Type=\"{Rel}/worksheet\" Target=\"sheets/sheet1.xml\"/>"
                + $"<Relationship Id=\"rB\" Type=\"{Rel}/worksheet\" Target=\"../sheets/other.xml\"/>"
                + $"<Relationship Id=\"rS\" Type=\"{Rel}/sharedStrings\" Target=\"strings.xml\"/>"
                + $"<Relationship Id=\"rY\" Type=\"{Rel}/styles\" Target=\"styles.xml\"/>"
                + "<Relationship Id=\"rX\" Type=\"http://example.com/link\" Target=\"http://attacker.example/\" TargetMode=\"External\"/></Relationships>");
            Add("book/sheets/sheet1.xml", $"<worksheet xmlns=\"{Main}\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>not this sheet</t></is></c></row></sheetData></worksheet>");
            Add("sheets/other.xml", $"<worksheet xmlns=\"{Main}\"><sheetData>{sheetXml}</sheetData></worksheet>");
            Add("book/strings.xml", $"<sst xmlns=\"{Main}\">{sharedStrings}</sst>");
            Add("book/styles.xml", $"<styleSheet xmlns=\"{Main}\">{styles}</styleSheet>");
        }

        return stream.ToArray();
    }

    [Fact]
    public void A_handwritten_workbook_reads_its_first_sheet_in_workbook_order_with_inline_rich_and_phonetic_text()
    {
        var content = Handwritten(
            "<row r=\"1\"><c t=\"s\"><v>0</v></c><c t=\"inlineStr\"><is><r><t>姓</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">名 </t></r></is></c><c t=\"inlineStr\"><is><t>生日</t></is></c></row>"
            + "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\" t=\"str\"><f>A3</f><v> 欧阳娜娜 </v></c><c r=\"C3\" s=\"1\"><v>0</v></c></row>"
            + "<row r=\"4\"><c r=\"C4\" s=\"2\"><v>1</v></c><c r=\"A4\"><v>220220002</v></c><c r=\"B4\" t=\"b\"><v>1</v></c></row>",
            "<si><t>学号</t></si><si><r><t>2202</t></r><r><t>20001</t></r><rPh sb=\"0\" eb=\"1\"><t>ガクセキ</t></rPh></si>",
            "<workbookPr date1904=\"1\"/>",
            "<numFmts><numFmt numFmtId=\"170\" formatCode=\"yyyy-mm-dd\"/></numFmts><cellXfs><xf numFmtId=\"0\"/><xf numFmtId=\"170\"/><xf numFmtId=\"0\"/></cellXfs>");
        var sheet = Read(content);

        Assert.Equal(["学号", "姓名", "生日"], sheet.Headers);
        Assert.Equal(3, sheet.Rows[0].Line);
        Assert.Equal(new string?[] { "220220001", "欧阳娜娜", "1904-01-01" }, sheet.Rows[0].Cells);
        Assert.Equal(4, sheet.Rows[1].Line);
        Assert.Equal(new string?[] { "220220002", "TRUE", "1" }, sheet.Rows[1].Cells);
    }

    [Fact]
    public void A_header_16384_columns_wide_is_refused_naming_the_count_and_the_limit()
    {
        var workbook = new XSSFWorkbook();
        var header = workbook.CreateSheet().CreateRow(0);
        for (var c = 0; c < 16384; c++)
        {
            header.CreateCell(c).SetCellValue("c" + c);
        }

        Assert.Contains("16384 columns; a roster has at most 256", Error(Bytes(workbook)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void More_rows_or_filled_cells_than_the_limits_are_refused_while_reading(bool csv)
    {
        var table = new StringBuilder("学号,姓名\r\n");
        var workbook = new XSSFWorkbook();
        var sheet = workbook.CreateSheet();
        sheet.CreateRow(0).CreateCell(0).SetCellValue("学号");
        sheet.GetRow(0).CreateCell(1).SetCellValue("姓名");
        for (var r = 1; r <= 11; r++)
        {
            table.Append(CultureInfo.InvariantCulture, $"S{r},王伟\r\n");
            var row = sheet.CreateRow(r);
            row.CreateCell(0).SetCellValue("S" + r);
            row.CreateCell(1).SetCellValue("王伟");
        }

        var content = csv ? Encoding.UTF8.GetBytes(table.ToString()) : Bytes(workbook);
        Assert.Equal(11, Read(content, Roster with { MaxRows = 11 }).Rows.Count);
        Assert.Contains("more than 10 students", Error(content, Roster with { MaxRows = 10 }), StringComparison.Ordinal);
        Assert.Contains("more than 15 filled cells", Error(content, Roster with { MaxCells = 15 }), StringComparison.Ordinal);
    }

    [Fact]
    public void A_zip_bomb_or_a_workbook_of_thousands_of_parts_is_refused_before_any_part_is_parsed()
    {
        var content = Handwritten("<row r=\"1\"><c t=\"inlineStr\"><is><t>学号</t></is></c></row>");
        byte[] With(Action<ZipArchive> change)
        {
            using var stream = new MemoryStream();
            stream.Write(content);
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
            {
                change(zip);
            }

            return stream.ToArray();
        }

        var bomb = With(zip =>
        {
            using var part = zip.CreateEntry("book/media/padding.bin", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 70; i++)
            {
                part.Write(zeros);
            }
        });
        Assert.True(bomb.Length < 1024 * 1024);
        Assert.Contains("unpacks to more than 64 MB", Error(bomb), StringComparison.Ordinal);

        var parts = With(zip =>
        {
            for (var i = 0; i < 1001; i++)
            {
                zip.CreateEntry($"book/media/{i}.bin");
            }
        });
        Assert.Contains("1009 parts", Error(parts), StringComparison.Ordinal);
    }

    [Fact]
    public void Csv_in_utf8_with_a_bom_or_gbk_reads_the_same_with_each_records_line_and_a_hash_is_data()
    {
        var text = "#,学号,姓名\r\n1,S1,\"王, \"\"伟\"\"\"\r\n\r\n2,S2,\"欧阳\r\n娜娜\"\r\n3,S3,李强\r\n";
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var utf8 = Read([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)]);
        var gbk = Read(Encoding.GetEncoding("GB18030").GetBytes(text));

        foreach (var sheet in new[] { utf8, gbk })
        {
            Assert.Equal(["#", "学号", "姓名"], sheet.Headers);
            Assert.Equal([2, 4, 5], sheet.Rows.Select(r => r.Line)); // records, as Excel numbers rows: a quoted line break stays in its row
            Assert.Equal("王, \"伟\"", sheet.Rows[0].Cells[2]);
            Assert.Equal("欧阳\r\n娜娜", sheet.Rows[1].Cells[2]);
        }

        Assert.Equal("学号,姓名", SpreadsheetReader.DecodeText(Encoding.GetEncoding("GB18030").GetBytes("学号,姓名")));
    }

    [Fact]
    public void A_csv_record_that_never_ends_is_refused_with_its_line()
    {
        var csv = "学号,姓名\r\nS1,王伟\r\nS2,\"王伟" + new string('a', 70_000) + "\r\n";
        Assert.Contains("Line 3 of the file is longer than 65536 characters", Error(Encoding.UTF8.GetBytes(csv)), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_a_truncated_and_an_unseekable_file_get_a_message_or_an_argument_error()
    {
        Assert.Equal("The file is empty.", Error([]));
        var content = EveryKindOfCell(() => new XSSFWorkbook());
        Assert.Contains("could not be read as CSV, .xlsx or .xls", Error(content[..(content.Length / 2)]), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SpreadsheetReader.Read(new GZipStream(new MemoryStream(), CompressionMode.Decompress), Roster));
    }

    [Fact]
    public void A_20000_row_roster_is_read_allocating_a_fraction_of_what_npois_model_does()
    {
        var workbook = new XSSFWorkbook();
        var sheet = workbook.CreateSheet("名单");
        string[] header = ["学号", "姓名", "身份证号", "培养层次", "学习形式", "学院代码", "学院", "班级", "校区", "专业", "年级", "备注"];
        var first = sheet.CreateRow(0);
        for (var c = 0; c < header.Length; c++)
        {
            first.CreateCell(c).SetCellValue(header[c]);
        }

        for (var r = 1; r <= 20_000; r++)
        {
            var row = sheet.CreateRow(r);
            string[] cells = ["T" + (100000 + r), "王伟" + r, "11010519491231" + (1000 + (r % 9000)), "硕士", "全日制", "law", "法学院", "2班", "城关校区", "法学", "2025届", "备注 " + r];
            for (var c = 0; c < cells.Length; c++)
            {
                row.CreateCell(c).SetCellValue(cells[c]);
            }
        }

        var content = Bytes(workbook);
        long Allocated(Func<Stream, Sheet> read)
        {
            read(new MemoryStream(content)); // warm: JIT and static tables are not the reader's cost
            var before = GC.GetAllocatedBytesForCurrentThread();
            var sheetRead = read(new MemoryStream(content));
            Assert.Equal(20_000, sheetRead.Rows.Count);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        var streamed = Allocated(stream => SpreadsheetReader.Read(stream, Roster).Sheet!);
        var model = Allocated(stream => NpoiSheetReader.Read(stream, Roster));

        // Measured (docs/benchmarks.md): about 46 MB against 411 MB. The reader is synchronous, so the thread's count is its own.
        Assert.True(streamed < 120L * 1024 * 1024, $"the streaming reader allocated {streamed / 1024 / 1024} MB");
        Assert.True(streamed * 4 < model, $"streaming {streamed / 1024 / 1024} MB, NPOI's model {model / 1024 / 1024} MB");
    }
}
