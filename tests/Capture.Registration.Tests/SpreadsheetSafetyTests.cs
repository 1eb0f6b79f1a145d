using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NPOI.XSSF.UserModel;

namespace Capture.Registration.Tests;

/// <summary>
/// Roster files as people and attackers make them: ID numbers Excel kept as numbers, formulas, quoted CSV fields, a
/// zip bomb, a 16,384-column sheet, too many rows; and exports that a spreadsheet must not run as formulas.
/// </summary>
public sealed class SpreadsheetSafetyTests(RegistrationServiceFixture fixture) : IClassFixture<RegistrationServiceFixture>
{
    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    private static List<string[]> Table(IEnumerable<RosterData.Row> rows) => [RosterData.Header, .. rows.Select(RosterData.Cells)];

    private static byte[] Xlsx(XSSFWorkbook workbook)
    {
        using var stream = new MemoryStream();
        workbook.Write(stream);
        return stream.ToArray();
    }

    /// <summary>A workbook with the rows as text, then <paramref name="change"/> applied to its sheet.</summary>
    private static byte[] Workbook(List<string[]> table, Action<NPOI.SS.UserModel.ISheet> change)
    {
        var workbook = new XSSFWorkbook();
        var sheet = workbook.CreateSheet("名单");
        for (var r = 0; r < table.Count; r++)
        {
            var row = sheet.CreateRow(r);
            for (var c = 0; c < table[r].Length; c++)
            {
                row.CreateCell(c).SetCellValue(table[r][c]);
            }
        }

        change(sheet);
        return Xlsx(workbook);
    }

    private static async Task<string> FileErrorAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("errors").GetProperty("file")[0].GetString()!;
    }

    [Fact]
    public async Task An_id_number_stored_as_a_number_in_excel_is_refused_saying_so_and_how_to_fix_it_and_the_other_rows_import()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var rows = RosterData.Rows(3);
        var content = Workbook(Table(rows), sheet =>
        {
            // What Excel does with an 18-digit number typed into a General cell: a double, 15 digits kept.
            sheet.GetRow(2).CreateCell(2).SetCellValue(double.Parse(rows[1].IdNumber[..17], System.Globalization.CultureInfo.InvariantCulture) * 10);
        });

        using var admin = school.Admin();
        using var refused = await TestSchool.UploadAsync(admin, campaign, content, "roster.xlsx");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = Assert.Single((await JsonAsync(refused)).GetProperty("rowErrors").EnumerateArray());
        Assert.Equal((3, "身份证号"), (error.GetProperty("line").GetInt32(), error.GetProperty("field").GetString()));
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("stored as a number", message, StringComparison.Ordinal);
        Assert.Contains("as Text", message, StringComparison.Ordinal);
        Assert.DoesNotContain("characters", message, StringComparison.Ordinal);

        using var partial = await TestSchool.UploadAsync(admin, campaign, content, "roster.xlsx", onlyValidRows: true);
        Assert.Equal(2, (await JsonAsync(partial)).GetProperty("created").GetInt32());
    }

    [Fact]
    public async Task An_id_number_that_excel_wrote_into_a_csv_as_1_1E_17_gets_the_same_advice()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var rows = RosterData.Rows(2);
        rows[0] = rows[0] with { IdNumber = "1.10105E+17" };
        using var admin = school.Admin();
        using var response = await TestSchool.UploadAsync(admin, campaign, Encoding.UTF8.GetBytes(RosterData.Csv(Table(rows))), "roster.csv");
        var error = Assert.Single((await JsonAsync(response)).GetProperty("rowErrors").EnumerateArray());
        Assert.Equal(2, error.GetProperty("line").GetInt32());
        Assert.Contains("stored as a number", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_formula_cell_is_read_as_the_value_excel_saved_and_never_evaluated()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var rows = RosterData.Rows(1);
        var content = Workbook(Table(rows), sheet =>
        {
            // Evaluated, 1+1 would be 2; the saved value is the name the secretary saw.
            var name = sheet.GetRow(1).GetCell(1);
            name.SetCellFormula("1+1");
            name.SetCellValue(rows[0].Name);
            var college = sheet.GetRow(1).GetCell(6);
            college.SetCellFormula("HYPERLINK(\"http://attacker.example/\",\"法学院\")");
            college.SetCellValue("法学院");
        });

        using var admin = school.Admin();
        using var response = await TestSchool.UploadAsync(admin, campaign, content, "roster.xlsx");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var registration = await school.RegistrationAsync(campaign, rows[0].StudentNumber);
        Assert.Equal((rows[0].Name, "法学院"), (registration.GetProperty("name").GetString(), registration.GetProperty("collegeName").GetString()));
    }

    [Fact]
    public async Task A_workbook_that_unpacks_to_more_than_the_limit_is_refused_before_it_is_parsed()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var content = RosterData.Workbook(Table(RosterData.Rows(1)), legacy: false);
        using (var stream = new MemoryStream())
        {
            stream.Write(content);
            using (var zip = new ZipArchive(stream, ZipArchiveMode.Update, leaveOpen: true))
            {
                // 100 MB of zeros, about 100 KB packed: the shape of a zip bomb.
                using var bomb = zip.CreateEntry("xl/media/padding.bin", CompressionLevel.SmallestSize).Open();
                var zeros = new byte[1024 * 1024];
                for (var i = 0; i < 100; i++)
                {
                    bomb.Write(zeros);
                }
            }

            content = stream.ToArray();
        }

        Assert.True(content.Length < 1024 * 1024);
        using var admin = school.Admin();
        using var response = await TestSchool.UploadAsync(admin, campaign, content, "roster.xlsx");
        Assert.Contains("unpacks to more than 64 MB", await FileErrorAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sheet_16384_columns_wide_is_refused_naming_the_limit()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var content = Workbook(Table(RosterData.Rows(2)), sheet =>
        {
            var header = sheet.GetRow(0);
            for (var c = RosterData.Header.Length; c < 16384; c++)
            {
                header.CreateCell(c).SetCellValue("c" + c);
            }
        });

        using var admin = school.Admin();
        using var response = await TestSchool.UploadAsync(admin, campaign, content, "roster.xlsx");
        Assert.Contains("16384 columns; a roster has at most 256", await FileErrorAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Empty_formatted_cells_to_the_last_column_do_not_count_as_columns()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var content = Workbook(Table(RosterData.Rows(2)), sheet =>
        {
            var header = sheet.GetRow(0);
            header.CreateCell(16383).SetCellValue("");
        });

        using var admin = school.Admin();
        using var response = await TestSchool.UploadAsync(admin, campaign, content, "roster.xlsx");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_csv_with_more_rows_than_one_import_takes_is_refused_while_reading()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var csv = new StringBuilder(string.Join(',', RosterData.Header)).Append("\r\n");
        for (var i = 0; i <= 20_000; i++)
        {
            csv.Append("S").Append(i).Append(",王伟,110105199001011234,硕士,全日制,law,法学院,,\r\n");
        }

        using var admin = school.Admin();
        using var response = await TestSchool.UploadAsync(admin, campaign, Encoding.UTF8.GetBytes(csv.ToString()), "roster.csv");
        Assert.Contains("more than 20000 students", await FileErrorAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_record_that_never_ends_is_refused_with_its_line()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var rows = RosterData.Rows(2);
        var csv = RosterData.Csv(Table(rows)) + "X1,\"王伟" + new string('a', 70_000) + "\r\n";
        using var admin = school.Admin();
        using var response = await TestSchool.UploadAsync(admin, campaign, Encoding.UTF8.GetBytes(csv), "roster.csv");
        Assert.Contains("longer than 65536 characters", await FileErrorAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_is_read_by_rfc_4180_quoting_rules_with_each_rows_line()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var rows = RosterData.Rows(3);
        var csv = new StringBuilder("#,学号,姓名,身份证号,培养层次,学习形式,学院代码,学院\r\n");
        csv.Append($"1,{rows[0].StudentNumber},{rows[0].Name},{rows[0].IdNumber},硕士,全日制,law,\"法学院, \"\"民商法\"\"方向\"\r\n");
        csv.Append($"2,{rows[1].StudentNumber},{rows[1].Name},{rows[1].IdNumber},研究生,全日制,law,法学院\r\n");
        csv.Append($"3,{rows[2].StudentNumber},{rows[2].Name},{rows[2].IdNumber},硕士,全日制,law,法学院\r\n");

        using var admin = school.Admin();
        using var response = await TestSchool.UploadAsync(admin, campaign, Encoding.UTF8.GetBytes(csv.ToString()), "roster.csv", onlyValidRows: true);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var report = await JsonAsync(response);
        Assert.Equal(2, report.GetProperty("created").GetInt32());
        Assert.Equal(3, Assert.Single(report.GetProperty("errors").EnumerateArray()).GetProperty("line").GetInt32());
        Assert.Equal("法学院, \"民商法\"方向", (await school.RegistrationAsync(campaign, rows[0].StudentNumber)).GetProperty("collegeName").GetString());
    }

    [Fact]
    public async Task The_summary_csv_defuses_names_a_spreadsheet_would_run_as_formulas_and_the_xlsx_keeps_them_as_text()
    {
        var school = fixture.NewSchool();
        var campaign = await school.CreateCampaignAsync();
        var rows = RosterData.Rows(2, college: "=cmd", collegeName: "=HYPERLINK(\"http://attacker.example\",\"点我\")");
        rows[1] = rows[1] with { CollegeCode = "@sum", CollegeName = "-2+3" };
        Assert.Equal(HttpStatusCode.OK, (await school.ImportAsync(campaign, rows)).StatusCode);

        using var admin = school.Admin();
        var csv = Encoding.UTF8.GetString(await admin.GetByteArrayAsync($"/api/registration/campaigns/{campaign}/summary.csv"));
        Assert.Contains("'=cmd,\"'=HYPERLINK(\"\"http://attacker.example\"\",\"\"点我\"\")\"", csv, StringComparison.Ordinal);
        Assert.Contains("'@sum,'-2+3,", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("\n=", csv, StringComparison.Ordinal);

        var xlsx = await admin.GetByteArrayAsync($"/api/registration/campaigns/{campaign}/summary.xlsx");
        var sheet = new XSSFWorkbook(new MemoryStream(xlsx)).GetSheetAt(0);
        var cells = Enumerable.Range(2, 2).Select(r => sheet.GetRow(r).GetCell(1)).ToList();
        Assert.All(cells, c => Assert.Equal(NPOI.SS.UserModel.CellType.String, c.CellType));
        Assert.Contains("=HYPERLINK(\"http://attacker.example\",\"点我\")", cells.Select(c => c.StringCellValue));
    }
}
